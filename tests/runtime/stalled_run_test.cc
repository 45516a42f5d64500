// A collective that some member never joins must end the run with an error
// that names it, not with a silently short record.
#include <gtest/gtest.h>

#include <string>

#include "arch_models/chip/system_loader.h"
#include "arch_models/system/machine.h"
#include "sim/error.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/models/model_spec.h"
#include "workloads/runtime/executor.h"

namespace dsasim::workloads {
namespace {

v1::OperatorGraph Tp2Graph() {
  BuildOptions o;
  o.batch = 2;
  o.context_len = 64;
  o.layers = 1;
  o.tensor_parallel = 2;
  return BuildGraph(LoadModelSpec("llama3-8b"), o);
}

TEST(StalledRun, ACollectiveOneMemberNeverCallsIsAnErrorNamingTheWaitingOp) {
  v1::OperatorGraph graph = Tp2Graph();
  // Chip 1 names its first all-reduce's group in another order: a
  // different communicator, which chip 0 never joins, so neither call can
  // complete.
  bool changed = false;
  for (v1::Operator& op : *graph.mutable_ops()) {
    if (op.has_collective() && op.device() == 1) {
      op.mutable_collective()->clear_group();
      op.mutable_collective()->add_group(1);
      op.mutable_collective()->add_group(0);
      changed = true;
      break;
    }
  }
  ASSERT_TRUE(changed);
  const arch::MachineConfig config =
      arch::ParseMachineConfig(arch::LoadSystem("dgx-h100"), "dgx-h100");
  try {
    ExecuteGraph(graph, config, ExecutionOptions{});
    FAIL() << "a run with an unmatched collective completed";
  } catch (const MappingError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("stalled"), std::string::npos) << message;
    EXPECT_NE(message.find("on chip 0 waits for the other members"), std::string::npos)
        << message;
  }
}

// Calls that pair up but disagree (chip 1 skipped one, so its all-gather
// meets chip 0's all-reduce) are refused by the interconnect; the error
// names the op.
TEST(StalledRun, MismatchedCollectiveCallsNameTheOp) {
  v1::OperatorGraph graph = Tp2Graph();
  auto* ops = graph.mutable_ops();
  for (int i = 0; i < ops->size(); ++i) {
    if (ops->Get(i).has_collective() && ops->Get(i).device() == 1) {
      ops->DeleteSubrange(i, 1);
      break;
    }
  }
  const arch::MachineConfig config =
      arch::ParseMachineConfig(arch::LoadSystem("dgx-h100"), "dgx-h100");
  try {
    ExecuteGraph(graph, config, ExecutionOptions{});
    FAIL() << "mismatched collectives ran";
  } catch (const MappingError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("op 'lm_head.all_gather.d1'"), std::string::npos) << message;
    EXPECT_NE(message.find("COLLECTIVE_ALL_REDUCE"), std::string::npos) << message;
  }
}

TEST(StalledRun, TheIntactGraphRunsEveryOp) {
  const v1::OperatorGraph graph = Tp2Graph();
  const arch::MachineConfig config =
      arch::ParseMachineConfig(arch::LoadSystem("dgx-h100"), "dgx-h100");
  Execution e = ExecuteGraph(graph, config, ExecutionOptions{});
  EXPECT_EQ(e.record.ops.size(), static_cast<size_t>(graph.ops_size()));
}

}  // namespace
}  // namespace dsasim::workloads
