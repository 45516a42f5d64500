// Graphs executed on the mesh/torus NoC: memoized replay stays exact, bytes
// are conserved, the physical bounds hold, and the NoC's figures reach the
// run's metrics.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "tests/lowering/graph_fixtures.h"
#include "workloads/analysis/bound_class.h"
#include "workloads/runtime/executor.h"

namespace dsasim::workloads {
namespace {

using dsasim::testing::MatMulChain;

arch::ChipConfig MeshDsa(const std::string& kind = "NOC_MESH") {
  v1::System s = arch::LoadSystem("mesh-dsa");
  arch::ApplyOverride(s, "chip.noc.kind=" + kind);
  return arch::ParseChipConfig(s, "mesh-dsa");
}

Execution Execute(const v1::OperatorGraph& g, const arch::ChipConfig& chip,
                  bool memoize = true) {
  ExecutionOptions o;
  o.memoize = memoize;
  return ExecuteGraph(g, chip, o);
}

const MetricRecord* FindMetric(const Execution& e, const std::string& name) {
  for (const MetricRecord& m : e.record.metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

TEST(NocMemoization, ReplayOnAMeshOrTorusChangesNoRowAndNoLinkTotal) {
  for (const char* kind : {"NOC_MESH", "NOC_TORUS"}) {
    v1::OperatorGraph g = MatMulChain(8, 4096, 4);
    Execution with = Execute(g, MeshDsa(kind), true);
    Execution without = Execute(g, MeshDsa(kind), false);
    EXPECT_GT(with.memo_hits, 0) << kind;
    ASSERT_EQ(with.record.ops.size(), without.record.ops.size());
    for (size_t i = 0; i < with.record.ops.size(); ++i) {
      EXPECT_EQ(with.record.ops[i].start_ps, without.record.ops[i].start_ps) << i;
      EXPECT_EQ(with.record.ops[i].end_ps, without.record.ops[i].end_ps) << i;
      EXPECT_EQ(with.record.ops[i].bound, without.record.ops[i].bound) << i;
    }
    ASSERT_EQ(with.record.timeline.size(), without.record.timeline.size());
    for (size_t i = 0; i < with.record.timeline.size(); ++i) {
      EXPECT_EQ(with.record.timeline[i].component, without.record.timeline[i].component);
      EXPECT_NEAR(with.record.timeline[i].busy_fraction,
                  without.record.timeline[i].busy_fraction, 1e-9)
          << with.record.timeline[i].component;
      EXPECT_NEAR(with.record.timeline[i].bytes, without.record.timeline[i].bytes,
                  1e-6 * (1 + without.record.timeline[i].bytes))
          << with.record.timeline[i].component;
    }
    // Channel busy times are integers of picoseconds: replay adds exactly
    // what simulation would have.
    for (const char* metric : {"noc_max_link_utilization", "noc_max_port_utilization"}) {
      ASSERT_NE(FindMetric(with, metric), nullptr) << metric;
      EXPECT_EQ(FindMetric(with, metric)->value, FindMetric(without, metric)->value)
          << kind << " " << metric;
    }
    EXPECT_EQ(with.noc_busiest_link, without.noc_busiest_link);
  }
}

TEST(NocConservation, EveryDmaByteIssuedOnAMeshIsDelivered) {
  Execution e = Execute(MatMulChain(64, 2048, 3), MeshDsa(), false);
  EXPECT_GT(e.transfers.descriptors_issued, 0);
  EXPECT_EQ(e.transfers.descriptors_issued, e.transfers.descriptors_completed);
  EXPECT_DOUBLE_EQ(e.transfers.bytes_issued, e.transfers.bytes_delivered);
}

TEST(NocRoofline, NoMatmulOnTheMeshBeatsItsComputeMemoryOrPortBound) {
  for (const char* kind : {"NOC_MESH", "NOC_TORUS"}) {
    arch::ChipConfig chip = MeshDsa(kind);
    for (int64_t m : {8, 512}) {
      Execution e = Execute(MatMulChain(m, 4096), chip);
      const OpRecord& op = e.record.ops.at(0);
      const double seconds = (op.end_ps - op.start_ps) * 1e-12;
      const double weight = 2.0 * 4096 * 4096;
      EXPECT_GE(seconds, 2.0 * m * 4096 * 4096 / chip.PeakFlops(v1::DTYPE_BF16)) << m;
      EXPECT_GE(seconds, weight / chip.hbm.peak_bandwidth()) << m;
      // Every byte from HBM leaves through a memory port's injection
      // channel.
      const double ports = static_cast<double>(chip.noc.memory_routers.size());
      EXPECT_GE(seconds, weight / (ports * chip.noc.endpoint_bandwidth)) << kind << m;
    }
  }
}

TEST(NocMetrics, AMeshRunReportsItsBusiestLinkAndPortACrossbarRunDoesNot) {
  Execution mesh = Execute(MatMulChain(8, 4096), MeshDsa());
  for (const char* metric : {"noc_max_link_utilization", "noc_max_port_utilization"}) {
    const MetricRecord* m = FindMetric(mesh, metric);
    ASSERT_NE(m, nullptr) << metric;
    EXPECT_GT(m->value, 0) << metric;
    EXPECT_LE(m->value, 1) << metric;
    EXPECT_EQ(m->unit, "fraction");
  }
  EXPECT_NE(mesh.noc_busiest_link.find("→"), std::string::npos) << mesh.noc_busiest_link;
  // The noc timeline's units are the mesh's link directions: its mean
  // utilization cannot exceed the busiest link's.
  EXPECT_LE(FindMetric(mesh, "utilization_noc")->value,
            FindMetric(mesh, "noc_max_link_utilization")->value);

  arch::ChipConfig h100 = arch::ParseChipConfig(arch::LoadSystem("h100"), "h100");
  Execution crossbar = Execute(MatMulChain(8, 4096), h100);
  EXPECT_EQ(FindMetric(crossbar, "noc_max_link_utilization"), nullptr);
  EXPECT_TRUE(crossbar.noc_busiest_link.empty());
}

TEST(NocTimeline, TheBusiestLinksGetTheirOwnRowsBusiestFirstOnTheChipsBuckets) {
  // Derivation. The `noc` rows average over every link; the four links
  // with the most busy time get rows of their own, the busiest first. Its
  // busy time weighted over the run is the noc_max_link_utilization metric
  // (the same busy picoseconds over the same makespan), each link's rows
  // tile [0, makespan) exactly as the tensor engine's do, and an average
  // never exceeds the hottest link. A crossbar has no links and no rows.
  Execution mesh = Execute(MatMulChain(8, 4096, 3), MeshDsa());
  std::vector<std::string> links;
  std::map<std::string, double> weighted;  // busy ps per component
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> buckets;
  for (const TimelineRecord& row : mesh.record.timeline) {
    if (row.component.rfind("noc_link ", 0) == 0 &&
        (links.empty() || links.back() != row.component)) {
      links.push_back(row.component);
    }
    weighted[row.component] += row.busy_fraction * double(row.end_ps - row.start_ps);
    buckets[row.component].emplace_back(row.start_ps, row.end_ps);
  }
  ASSERT_EQ(links.size(), 4u);
  EXPECT_EQ(links.front(), "noc_link " + mesh.noc_busiest_link);
  const double makespan = double(mesh.makespan.ps());
  EXPECT_NEAR(weighted[links.front()] / makespan,
              FindMetric(mesh, "noc_max_link_utilization")->value, 1e-9);
  for (size_t i = 0; i < links.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(weighted[links[i]], weighted[links[i - 1]] * (1 + 1e-12));
    }
    EXPECT_EQ(buckets[links[i]], buckets["tensor"]) << links[i];
  }
  EXPECT_EQ(buckets["tensor"].back().second, mesh.makespan.ps());
  EXPECT_LE(weighted["noc"], weighted[links.front()] * (1 + 1e-12));

  arch::ChipConfig h100 = arch::ParseChipConfig(arch::LoadSystem("h100"), "h100");
  for (const TimelineRecord& row : Execute(MatMulChain(8, 4096), h100).record.timeline) {
    EXPECT_NE(row.component.rfind("noc_link", 0), 0u) << row.component;
  }
}

// A 10 µs op on all 64 cores of mesh-dsa that kept nothing busy.
arch::OpStats IdleTenMicrosecondOp() {
  arch::OpStats s;
  s.start = Tick();
  s.end = Tick::FromUs(10);
  s.active_cores = 64;
  return s;
}

TEST(NocBoundClass, AnOpWhoseBusiestNocChannelIsSaturatedIsInterconnectBound) {
  arch::ChipConfig chip = MeshDsa();
  arch::OpStats s = IdleTenMicrosecondOp();
  // One link busy 80 % of the op, everything else idle: the cores' own
  // channels average far below half, but the op waits on that link.
  s.noc_max_channel_busy_ps = 0.8 * 10e6;
  EXPECT_EQ(BoundClass(s, chip), "interconnect");
  s.noc_max_channel_busy_ps = 0.3 * 10e6;
  EXPECT_EQ(BoundClass(s, chip), "overhead");
}

TEST(HbmBoundClass, AnOpWhoseBusiestHbmChannelIsSaturatedIsHbmBoundThoughItsBytesAreFew) {
  // An access pattern camping on one channel: that channel is busy 90 % of
  // the op while the bytes moved are a few percent of peak × time.
  arch::ChipConfig chip = MeshDsa();
  arch::OpStats s = IdleTenMicrosecondOp();
  s.hbm_bytes = 0.02 * chip.hbm.peak_bandwidth() * 10e-6;
  EXPECT_EQ(BoundClass(s, chip), "overhead");
  s.hbm_max_channel_busy_ps = 0.9 * 10e6;
  EXPECT_EQ(BoundClass(s, chip), "hbm");
}

}  // namespace
}  // namespace dsasim::workloads
