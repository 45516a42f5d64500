// A Machine outlives the graphs run on it, with time continuing: what a
// serving loop needs.
#include <gtest/gtest.h>

#include "arch_models/chip/system_loader.h"
#include "arch_models/system/machine.h"
#include "sim/error.h"
#include "tests/lowering/graph_fixtures.h"
#include "workloads/runtime/executor.h"

namespace dsasim::workloads {
namespace {

double Metric(const RunRecord& r, const std::string& name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

TEST(MachineLifetime, ASecondGraphStartsWhereTheFirstEndedAndReportsOnlyItsOwnWork) {
  arch::MachineConfig config = arch::ParseMachineConfig(arch::LoadSystem("h100"), "h100");
  arch::Machine machine(config, arch::MachineOptions{});
  Executor executor(machine, ExecutionOptions{});
  const v1::OperatorGraph graph = dsasim::testing::MatMulChain(64, 2048, 3);
  Execution first = executor.Run(graph);
  Execution second = executor.Run(graph);
  ASSERT_FALSE(second.record.ops.empty());
  EXPECT_GE(second.record.ops.front().start_ps, first.makespan.ps());
  // The chip is idle between the runs and replays nothing it must not: the
  // same graph takes the same time, and moves the same bytes.
  EXPECT_DOUBLE_EQ(Metric(second.record, "latency_s"), Metric(first.record, "latency_s"));
  EXPECT_DOUBLE_EQ(Metric(second.record, "hbm_bytes"), Metric(first.record, "hbm_bytes"));
  EXPECT_NEAR(Metric(second.record, "utilization_tensor"),
              Metric(first.record, "utilization_tensor"), 1e-9);
  EXPECT_EQ(second.transfers.descriptors_issued, first.transfers.descriptors_issued);
  EXPECT_GT(second.memo_hits, 0);  // its ops were all seen in the first run
  for (const TimelineRecord& row : second.record.timeline) {
    EXPECT_GT(row.end_ps, first.makespan.ps()) << row.component;
  }
}

// A bug: closing the timelines at the end of each run added a mesh's
// lifetime link busy time to `noc` again, so a second run reported the
// first run's traffic twice.
TEST(MachineLifetime, ASecondRunOnAMeshReportsTheSameNocUtilization) {
  arch::MachineConfig config =
      arch::ParseMachineConfig(arch::LoadSystem("mesh-dsa"), "mesh-dsa");
  arch::Machine machine(config, arch::MachineOptions{});
  Executor executor(machine, ExecutionOptions{});
  const v1::OperatorGraph graph = dsasim::testing::MatMulChain(64, 2048, 2);
  Execution first = executor.Run(graph);
  Execution second = executor.Run(graph);
  ASSERT_GT(Metric(first.record, "utilization_noc"), 0);
  EXPECT_NEAR(Metric(second.record, "utilization_noc"),
              Metric(first.record, "utilization_noc"), 1e-9);
}

TEST(MachineLifetime, AMachineARunFailedOnRunsNothingMore) {
  arch::MachineConfig config = arch::ParseMachineConfig(arch::LoadSystem("h100"), "h100");
  arch::Machine machine(config, arch::MachineOptions{});
  Executor executor(machine, ExecutionOptions{});
  v1::OperatorGraph bad = dsasim::testing::MatMulChain(8, 1024, 1);
  bad.mutable_ops(0)->set_device(3);
  EXPECT_THROW(executor.Run(bad), MappingError);
  EXPECT_TRUE(machine.broken());
  try {
    executor.Run(dsasim::testing::MatMulChain(8, 1024, 1));
    FAIL() << "ran on a broken machine";
  } catch (const MappingError& e) {
    EXPECT_NE(std::string(e.what()).find("earlier run"), std::string::npos) << e.what();
  }
}

TEST(MachineLifetime, ARunOnAFreshMachineMatchesExecuteGraph) {
  const v1::OperatorGraph graph = dsasim::testing::MatMulChain(8, 4096, 2);
  arch::MachineConfig config = arch::ParseMachineConfig(arch::LoadSystem("a100"), "a100");
  Execution direct = ExecuteGraph(graph, config, ExecutionOptions{});
  arch::Machine machine(config, arch::MachineOptions{});
  Execution via = Executor(machine, ExecutionOptions{}).Run(graph);
  ASSERT_EQ(direct.record.metrics.size(), via.record.metrics.size());
  for (size_t i = 0; i < via.record.metrics.size(); ++i) {
    EXPECT_EQ(direct.record.metrics[i].name, via.record.metrics[i].name);
    EXPECT_DOUBLE_EQ(direct.record.metrics[i].value, via.record.metrics[i].value)
        << via.record.metrics[i].name;
  }
}

}  // namespace
}  // namespace dsasim::workloads
