#include "tools/run/simulation.h"

#include <gtest/gtest.h>

#include <filesystem>

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

TEST(ConfigHash, DiffersWhenAnOverrideChangesTheSystem) {
  SimulationRequest a = Decode(1, 128, 1), b = a;
  b.overrides.push_back("chip.core.scratchpad.capacity=456KiB");
  EXPECT_NE(Simulate(a).record.config_hash, Simulate(b).record.config_hash);
  EXPECT_EQ(Simulate(a).record.config_hash, Simulate(a).record.config_hash);
}

}  // namespace
}  // namespace dsasim
