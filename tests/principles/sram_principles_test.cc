// The DSA principles about on-chip SRAM, each stated as an expectation
// derived before the run and then checked (issue #5):
//   - halving the scratchpad raises a large matmul's HBM traffic by the
//     factor its smaller tiles imply (√2 to 2);
//   - an SRAM run as an LRU cache moves more HBM traffic than the same SRAM
//     managed explicitly, on decode, because the weight stream evicts the
//     activations the scratchpad keeps on chip.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <regex>
#include <string>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "tools/run/simulation.h"
#include "workloads/graph/dtype.h"
#include "workloads/runtime/executor.h"

namespace dsasim {
namespace {

double Metric(const RunRecord& r, std::string_view name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

v1::OperatorGraph Gemm(int64_t m, int64_t k, int64_t n) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("gemm");
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_PREFILL);
  g.mutable_origin()->set_batch(1);
  g.mutable_origin()->set_seq_len(m);
  auto tensor = [&g](const char* name, int64_t rows, int64_t cols, v1::Placement p) {
    v1::Tensor* t = g.add_tensors();
    t->set_name(name);
    t->add_shape(rows);
    t->add_shape(cols);
    t->set_dtype(v1::DTYPE_BF16);
    t->set_placement(p);
  };
  tensor("a", m, k, v1::PLACEMENT_ACTIVATION);
  tensor("b", k, n, v1::PLACEMENT_WEIGHT);
  tensor("c", m, n, v1::PLACEMENT_ACTIVATION);
  v1::Operator* op = g.add_ops();
  op->set_name("gemm");
  op->add_inputs("a");
  op->add_inputs("b");
  op->add_outputs("c");
  op->mutable_matmul();
  return g;
}

struct Tile {
  int64_t tm, tn, tk, split;
};

Tile ChosenTile(const std::string& lowering) {
  std::smatch m;
  const std::regex tile(R"("tile":\[(\d+),(\d+),(\d+)\])"), split(R"("split_k":(\d+))");
  EXPECT_TRUE(std::regex_search(lowering, m, tile)) << lowering;
  Tile t{std::stoll(m[1]), std::stoll(m[2]), std::stoll(m[3]), 1};
  if (std::regex_search(lowering, m, split)) t.split = std::stoll(m[1]);
  return t;
}

TEST(ScratchpadSize, HalvingItRaisesALargeMatmulsHbmTrafficByTheFactorItsTilesImply) {
  // A 4096³ bf16 GEMM on the generic DSA, whose activations live in HBM (it
  // has no shared SRAM), so every tile re-read is HBM traffic:
  //   traffic = A · ⌈N/tn⌉ + B · ⌈M/tm⌉ + C (+ fp32 partials with split-K).
  // The scratchpad holds `stages` A and B tiles, tk·(tm + tn) elements each
  // (tk is pinned near the array's 128 rows), and one tm×tn output tile.
  // Where the operand term dominates, the tile edges scale with the
  // capacity and traffic (∝ 1/tm + 1/tn) doubles when it halves; where the
  // output tile dominates, they scale with its square root and traffic
  // rises by √2. So: the traffic must match the formula for the tiles
  // chosen, and rise by a factor in [√2, 2].
  const int64_t n = 4096;
  const double operand = n * n * 2.0;
  arch::ChipConfig chip =
      arch::ParseChipConfig(arch::LoadSystem("generic-dsa"), "generic-dsa");
  double traffic[2];
  for (int half = 0; half < 2; ++half) {
    chip.scratchpad.capacity_bytes = (1 << 20) >> half;  // 1 MiB, then 512 KiB
    workloads::Execution e = workloads::ExecuteGraph(Gemm(n, n, n), chip, {});
    ASSERT_EQ(e.record.ops.size(), 1u);
    const Tile t = ChosenTile(e.record.ops[0].lowering);
    const double c_bytes = t.split > 1 ? n * n * 4.0 : operand;
    const double expected = operand * std::ceil(double(n) / t.tn) +
                            operand * std::ceil(double(n) / t.tm) + c_bytes;
    traffic[half] = e.record.ops[0].bytes;
    std::printf(
        "scratchpad %lld KiB: tile %lld×%lld×%lld split %lld, HBM %.3f GB "
        "(formula %.3f GB)\n",
        static_cast<long long>(chip.scratchpad.capacity_bytes / 1024),
        static_cast<long long>(t.tm), static_cast<long long>(t.tn),
        static_cast<long long>(t.tk), static_cast<long long>(t.split),
        traffic[half] / 1e9, expected / 1e9);
    EXPECT_NEAR(traffic[half] / expected, 1.0, 0.01);
  }
  const double factor = traffic[1] / traffic[0];
  EXPECT_GE(factor, std::sqrt(2.0) - 0.01);
  EXPECT_LE(factor, 2.0 + 0.01);
}

SimulationRequest Decode(const std::string& system, int layers) {
  SimulationRequest req;
  req.system = system;
  req.model = "llama3-8b";
  req.build.phase = v1::PHASE_DECODE;
  req.build.batch = 8;
  req.build.context_len = 1024;
  req.build.layers = layers;
  return req;
}

TEST(SramCacheMode, OnDecodeTheWeightStreamEvictsTheActivationsAScratchpadKeeps) {
  // H100-like, decode of two Llama-3-8B layers. As a scratchpad (the
  // residency rule), the 50 MB shared SRAM holds every activation, so HBM
  // moves the weights, the KV cache and nothing else. As an LRU cache of the
  // same size, every byte goes through it: the weights (≈ 0.44 GB, each read
  // once) miss — the cache cannot help a stream — and between an
  // activation's write and its next read a weight matrix of tens of MB
  // streams past, so most activations are evicted (written back) and
  // fetched again. Expected: hit rate near zero; extra HBM traffic positive
  // and at most twice the activation bytes (each written back and re-read
  // once) plus the weights' and KV's rounding to lines.
  Simulation scratchpad = Simulate(Decode("h100", 2));
  SimulationRequest cached_request = Decode("h100", 2);
  cached_request.overrides = {"chip.shared_sram.mode=SRAM_MODE_CACHE"};
  Simulation cached = Simulate(cached_request);

  double activations = 0, streamed = 0;
  for (const v1::Tensor& t : scratchpad.graph.tensors()) {
    if (t.view_of_size() > 0) continue;
    const double bytes = static_cast<double>(workloads::TensorBytes(t));
    (t.placement() == v1::PLACEMENT_ACTIVATION ? activations : streamed) += bytes;
  }
  const double spm = Metric(scratchpad.record, "hbm_bytes");
  const double cache = Metric(cached.record, "hbm_bytes");
  const double hit_rate = Metric(cached.record, "shared_cache_hit_rate");
  std::printf(
      "scratchpad HBM %.1f MB, cache HBM %.1f MB (+%.1f MB), activations %.1f MB, "
      "hit rate %.3f\n",
      spm / 1e6, cache / 1e6, (cache - spm) / 1e6, activations / 1e6, hit_rate);
  EXPECT_GT(cache, spm);
  EXPECT_LE(cache - spm, 2 * activations + 0.01 * streamed);
  // Most of the activations do make the round trip.
  EXPECT_GE(cache - spm, 0.5 * activations);
  EXPECT_LT(hit_rate, 0.1);
  // Conservation: with the shared SRAM the only cache, HBM served exactly
  // its fills and writebacks.
  EXPECT_DOUBLE_EQ(cache, Metric(cached.record, "shared_cache_fill_bytes") +
                              Metric(cached.record, "shared_cache_writeback_bytes"));
  // The scratchpad run has no cache to report.
  for (const MetricRecord& m : scratchpad.record.metrics) {
    EXPECT_EQ(m.name.find("cache_"), std::string::npos) << m.name;
  }
}

TEST(SramCacheMode, SameInputsGiveIdenticalRows) {
  SimulationRequest request = Decode("generic-dsa", 1);
  request.overrides = {"chip.core.scratchpad.mode=SRAM_MODE_CACHE"};
  const Simulation a = Simulate(request), b = Simulate(request);
  ASSERT_EQ(a.record.ops.size(), b.record.ops.size());
  for (size_t i = 0; i < a.record.ops.size(); ++i) {
    EXPECT_EQ(a.record.ops[i].start_ps, b.record.ops[i].start_ps) << i;
    EXPECT_EQ(a.record.ops[i].end_ps, b.record.ops[i].end_ps) << i;
    EXPECT_EQ(a.record.ops[i].bytes, b.record.ops[i].bytes) << i;
  }
  ASSERT_EQ(a.record.metrics.size(), b.record.metrics.size());
  for (size_t i = 0; i < a.record.metrics.size(); ++i) {
    if (a.record.metrics[i].name == "wall_s") continue;
    EXPECT_EQ(a.record.metrics[i].value, b.record.metrics[i].value)
        << a.record.metrics[i].name;
  }
  EXPECT_GT(Metric(a.record, "sram_cache_miss_lines"), 0);
}

}  // namespace
}  // namespace dsasim
