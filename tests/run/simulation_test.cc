#include "tools/run/simulation.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "arch_models/compute/vector_cost.h"
#include "tools/store/result_store.h"
#include "workloads/graph/dtype.h"

namespace dsasim {
namespace {

double Metric(const RunRecord& r, std::string_view name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

SimulationRequest Decode(int64_t batch, int64_t context, int64_t layers = 0) {
  SimulationRequest req;
  req.system = "h100";
  req.model = "llama3-8b";
  req.build.phase = v1::PHASE_DECODE;
  req.build.batch = batch;
  req.build.context_len = context;
  req.build.layers = layers;
  return req;
}

TEST(DecodeStep, Llama3AtBatch1IsNeverFasterThanStreamingWeightsAndKvAtPeak) {
  Simulation sim = Simulate(Decode(1, 4096));
  double weight_and_kv = 0;
  for (const v1::Tensor& t : sim.graph.tensors()) {
    if (t.placement() == v1::PLACEMENT_WEIGHT ||
        t.placement() == v1::PLACEMENT_KV_CACHE ||
        t.placement() == v1::PLACEMENT_WEIGHT_SCALE) {
      weight_and_kv += static_cast<double>(workloads::TensorBytes(t));
    }
  }
  double peak = Metric(sim.record, "hbm_peak_bandwidth_Bps");
  double latency = Metric(sim.record, "latency_s");
  EXPECT_GT(weight_and_kv, 15e9);  // 8 B parameters in bf16, plus the cache
  EXPECT_GE(latency, weight_and_kv / peak);
  // And it is HBM-bound: the matmuls are limited by HBM.
  EXPECT_EQ(sim.execution.bound_by_kind.at("matmul"), "hbm");
}

TEST(PrefillStep, LargeBatchPrefillIsComputeBound) {
  SimulationRequest req = Decode(4, 0, /*layers=*/2);
  req.build.phase = v1::PHASE_PREFILL;
  req.build.seq_len = 2048;
  req.build.context_len = 0;
  Simulation sim = Simulate(req);
  EXPECT_EQ(sim.execution.bound_by_kind.at("matmul"), "compute");
  // Most of the step's time is spent in compute-bound operators.
  double compute_seconds = 0;
  for (const OpRecord& op : sim.record.ops) {
    if (op.bound == "compute") compute_seconds += (op.end_ps - op.start_ps) * 1e-12;
  }
  EXPECT_GT(compute_seconds, 0.5 * Metric(sim.record, "latency_s"));
}

TEST(Determinism, SameSeedGivesIdenticalRowsInTheDatabase) {
  namespace fs = std::filesystem;
  fs::path db = fs::temp_directory_path() /
                ("dsasim_determinism_" + std::to_string(::getpid()) + ".db");
  fs::remove(db);
  {
    store::ResultStore s =
        store::ResultStore::Open(db, store::ResultStore::Mode::kReadWrite);
    for (int i = 0; i < 2; ++i) s.WriteRun(Simulate(Decode(8, 1024, 4)).record);
  }
  store::ResultStore s =
      store::ResultStore::Open(db, store::ResultStore::Mode::kReadOnly);
  for (const char* table : {"ops", "timeline", "metrics"}) {
    std::string cols = std::string(table) == "metrics" ? "name, value, unit" : "*";
    auto rows = [&](int run) {
      std::string sql = "SELECT " + cols + " FROM " + table + " WHERE run_id = ?";
      store::QueryResult r = s.Query(sql, {store::SqlParam(int64_t{run})});
      std::vector<std::string> out;
      for (const auto& row : r.rows) {
        std::string line;
        for (size_t c = 0; c < row.size(); ++c) {
          if (r.columns[c] == "run_id") continue;
          line += (row[c].is_null() ? "NULL" : row[c].text) + "|";
        }
        out.push_back(line);
      }
      return out;
    };
    std::vector<std::string> first = rows(1), second = rows(2);
    EXPECT_FALSE(first.empty()) << table;
    EXPECT_EQ(first, second) << table;
  }
  fs::remove(db);
}

TEST(TraceReplay, ReplayingTheShippedTraceEqualsBuildingTheGraphInMemory) {
  SimulationRequest built = Decode(8, 4096);
  SimulationRequest replayed = built;
  replayed.trace =
      std::string(DSASIM_SOURCE_DIR) + "/traces/llama3_8b/decode_b8_c4096.pb";
  Simulation a = Simulate(built), b = Simulate(replayed);
  // The trace also records the command that built it; the rest is identical.
  v1::OperatorGraph ga = a.graph, gb = b.graph;
  ga.mutable_origin()->clear_command();
  gb.mutable_origin()->clear_command();
  EXPECT_EQ(ga.SerializeAsString(), gb.SerializeAsString());
  ASSERT_EQ(a.record.ops.size(), b.record.ops.size());
  for (size_t i = 0; i < a.record.ops.size(); ++i) {
    EXPECT_EQ(a.record.ops[i].name, b.record.ops[i].name);
    EXPECT_EQ(a.record.ops[i].start_ps, b.record.ops[i].start_ps) << a.record.ops[i].name;
    EXPECT_EQ(a.record.ops[i].end_ps, b.record.ops[i].end_ps) << a.record.ops[i].name;
    EXPECT_EQ(a.record.ops[i].bytes, b.record.ops[i].bytes) << a.record.ops[i].name;
  }
  EXPECT_EQ(Metric(a.record, "latency_s"), Metric(b.record, "latency_s"));
}

TEST(DsaPrinciples, Int4UnpackedByTheDmaMovesDequantOffTheVectorEngineAndDecodesFaster) {
  // Derivation. Without a DMA unpack capability every int4 weight element is
  // dequantized on the vector engine before the tensor engine uses it: busy
  // time = elements / lanes · cycles-per-vector("dequant") / clock, summed
  // over cores. With the generic DSA's DMA_INT4_UNPACK that work leaves the
  // vector engine entirely, and the step can only get faster (the DMA
  // unpacks at full copy rate). The size of the speed-up depends on which
  // engine bounds the step; here the check is its direction.
  SimulationRequest dma = Decode(8, 1024, /*layers=*/2);
  dma.system = "generic-dsa";
  dma.build.weight_dtype = v1::DTYPE_INT4;
  SimulationRequest vector = dma;
  vector.execution.lowering.dma_transforms = false;
  Simulation with_dma = Simulate(dma), with_vector = Simulate(vector);

  double int4_elements = 0;
  for (const v1::Tensor& t : with_dma.graph.tensors()) {
    if (t.dtype() == v1::DTYPE_INT4) int4_elements += workloads::TensorElements(t);
  }
  arch::ChipConfig chip =
      arch::ParseChipConfig(arch::LoadSystem("generic-dsa"), "generic-dsa");
  arch::VectorCostTable vec(chip.vector.lanes, chip.vector.instruction_overhead_cycles,
                            chip.vector.op_costs);
  double expected_core_seconds =
      int4_elements / chip.vector.lanes * vec.CyclesPerVector("dequant") / chip.vector.hz;
  auto vector_core_seconds = [&](const Simulation& s) {
    return Metric(s.record, "utilization_vector") * chip.cores *
           Metric(s.record, "latency_s");
  };
  double moved = vector_core_seconds(with_vector) - vector_core_seconds(with_dma);
  EXPECT_GT(int4_elements, 4e8);
  // Per-instruction overheads come on top of the per-vector cost.
  EXPECT_GE(moved, 0.95 * expected_core_seconds);
  EXPECT_LE(moved, 1.5 * expected_core_seconds);
  EXPECT_LT(Metric(with_dma.record, "latency_s"),
            Metric(with_vector.record, "latency_s"));
}

TEST(ConfigHash, DiffersWhenAnOverrideChangesTheSystem) {
  SimulationRequest a = Decode(1, 128, 1), b = a;
  b.overrides.push_back("chip.core.scratchpad.capacity=456KiB");
  EXPECT_NE(Simulate(a).record.config_hash, Simulate(b).record.config_hash);
  EXPECT_EQ(Simulate(a).record.config_hash, Simulate(a).record.config_hash);
}

}  // namespace
}  // namespace dsasim
