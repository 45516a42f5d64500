// The run's timeline rows against the run's own totals: the `dma` and
// `noc` rows carry the bytes they moved, and the `hbm` rows weighted over
// the run give the utilization_hbm metric. (Each was a bug: dma and noc
// bytes were always 0; hbm rows cut at a fraction of 1 lost bytes.)
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "tests/lowering/graph_fixtures.h"
#include "workloads/runtime/executor.h"

namespace dsasim::workloads {
namespace {

using dsasim::testing::MatMulChain;

arch::ChipConfig Preset(const std::string& name) {
  return arch::ParseChipConfig(arch::LoadSystem(name), name);
}

Execution Execute(const v1::OperatorGraph& g, const arch::ChipConfig& chip,
                  bool memoize = true) {
  ExecutionOptions o;
  o.memoize = memoize;
  return ExecuteGraph(g, chip, o);
}

struct ComponentTotals {
  double bytes = 0;
  double busy_ps = 0;  // busy_fraction weighted by interval length
};

std::map<std::string, ComponentTotals> Totals(const Execution& e) {
  std::map<std::string, ComponentTotals> totals;
  for (const TimelineRecord& row : e.record.timeline) {
    ComponentTotals& t = totals[row.component];
    t.bytes += row.bytes;
    t.busy_ps += row.busy_fraction * static_cast<double>(row.end_ps - row.start_ps);
  }
  return totals;
}

double Metric(const Execution& e, const std::string& name) {
  for (const MetricRecord& m : e.record.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

TEST(TimelineBytes, DmaAndCrossbarNocRowsCarryEveryByteTheyMovedNotZero) {
  // h100: a crossbar and no SRAM cache, and a plain matmul chain has no
  // reduce-add, so every byte a DMA engine moved crossed its core's port
  // and was one byte of memory traffic.
  for (bool memoize : {false, true}) {
    Execution e = Execute(MatMulChain(64, 2048, 3), Preset("h100"), memoize);
    std::map<std::string, ComponentTotals> t = Totals(e);
    ASSERT_GT(e.transfers.bytes_issued, 0);
    EXPECT_NEAR(t["dma"].bytes, e.transfers.bytes_issued, 1e-9 * e.transfers.bytes_issued)
        << "memoize=" << memoize;
    EXPECT_NEAR(t["noc"].bytes, t["dma"].bytes, 1e-9 * t["dma"].bytes);
    EXPECT_NEAR(t["dma"].bytes, t["hbm"].bytes + t["shared_sram"].bytes,
                1e-9 * t["dma"].bytes);
  }
}

TEST(TimelineBytes, MeshNocRowsCarryTheBytesThatCrossedItsLinks) {
  // The mesh's `noc` is all its link directions together, so its bytes are
  // what crossed each link, summed: at least what the busiest links carried.
  v1::System s = arch::LoadSystem("mesh-dsa");
  Execution e = Execute(MatMulChain(8, 4096, 3), arch::ParseChipConfig(s, "mesh-dsa"));
  std::map<std::string, ComponentTotals> t = Totals(e);
  double hottest_links = 0;
  for (const auto& [component, totals] : t) {
    if (component.rfind("noc_link ", 0) == 0) hottest_links += totals.bytes;
  }
  ASSERT_GT(hottest_links, 0);
  EXPECT_GE(t["noc"].bytes, hottest_links);
  EXPECT_GT(t["dma"].bytes, 0);
}

TEST(TimelineBytes, HbmRowsWeightedOverTheRunEqualTheUtilizationHbmMetric) {
  // Llama-3-8B-like decode shapes on h100 put more bytes in some buckets
  // than the peak moves in them; the rows used to cut those at 1.
  for (const char* preset : {"h100", "mesh-dsa"}) {
    Execution e = Execute(MatMulChain(8, 4096, 4), Preset(preset));
    std::map<std::string, ComponentTotals> t = Totals(e);
    const double makespan = static_cast<double>(e.makespan.ps());
    EXPECT_NEAR(t["hbm"].busy_ps / makespan, Metric(e, "utilization_hbm"), 1e-12)
        << preset;
  }
}

}  // namespace
}  // namespace dsasim::workloads
