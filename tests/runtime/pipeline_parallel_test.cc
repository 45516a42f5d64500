// Pipeline microbatches and data-parallel replicas, run as a user runs them
// (Simulate, as `dsasim run`), with the expectation derived first.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "sim/error.h"
#include "tools/run/simulation.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/graph/graph_validator.h"
#include "workloads/models/model_spec.h"

namespace dsasim {
namespace {

using ::testing::HasSubstr;
using workloads::BuildGraph;
using workloads::BuildOptions;
using workloads::LoadModelSpec;

double Metric(const RunRecord& r, const std::string& name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

bool HasMetric(const RunRecord& r, const std::string& name) {
  return std::any_of(r.metrics.begin(), r.metrics.end(),
                     [&](const MetricRecord& m) { return m.name == name; });
}

bool IsWeight(const v1::Tensor& t) {
  return t.placement() == v1::PLACEMENT_WEIGHT ||
         t.placement() == v1::PLACEMENT_WEIGHT_SCALE;
}

// A prefill whose pipeline stages are as equal as the model allows: every
// stage holds the same number of layers, and one microbatch is one
// sequence, so its stage time t is the same for every m. What is left
// unequal is small next to t:
//   - stage 0 also runs the embedding (a gather of 1024 rows);
//   - the last stage also runs the final norm and the LM head, on one row
//     per sequence: a read of the 32000 × 4096 head (262 MB, ~80 µs at
//     3.35 TB/s). Llama-2-7B is chosen for its small vocabulary: Llama-3's
//     128K vocabulary makes the head ~0.3 ms, which makes the last stage the
//     bottleneck and pushes the bubble past the formula;
//   - every stage but the last sends 1024 × 4096 bf16 activations (8 MB,
//     ~20 µs on NVLink) on its compute stream (the dgx-h100 preset runs
//     communication on the SMs).
// With all 32 layers a stage runs 8 (p = 4) or 16 (p = 2) layers of 1024
// tokens, 6 to 12 ms, so those are about 1 % of t or less.
SimulationRequest PipelinedPrefill(int stages, int microbatches) {
  SimulationRequest req;
  req.system = "dgx-h100";
  req.model = "llama2-7b";
  req.build.phase = v1::PHASE_PREFILL;
  req.build.batch = microbatches;
  req.build.seq_len = 1024;
  req.build.pipeline_parallel = stages;
  req.build.microbatches = microbatches;
  return req;
}

TEST(PipelineParallel, BubbleFractionIsPMinusOneOverMPlusPMinusOneForEqualStages) {
  for (int p : {2, 4}) {
    for (int m : {1, 4, 8}) {
      Simulation sim = Simulate(PipelinedPrefill(p, m));
      const double expected = static_cast<double>(p - 1) / (m + p - 1);
      const double measured = Metric(sim.record, "pipeline_bubble_fraction");
      EXPECT_NEAR(measured, expected, 0.05 * expected) << "p=" << p << " m=" << m;
      std::cout << "[ bubble   ] p=" << p << " m=" << m << " measured " << measured
                << " formula " << expected << " latency "
                << Metric(sim.record, "latency_s") << " s\n";
    }
  }
}

TEST(PipelineParallel, StageOneStartsTheNextMicrobatchWhileStageTwoRunsThePrevious) {
  Simulation sim = Simulate(PipelinedPrefill(2, 4));
  // Per (chip, microbatch) the interval its ops cover.
  std::map<std::pair<int, int>, std::pair<int64_t, int64_t>> span;
  for (const OpRecord& op : sim.record.ops) {
    const size_t at = op.name.find(".mb");
    ASSERT_NE(at, std::string::npos) << op.name;
    const int mb = std::stoi(op.name.substr(at + 3));
    auto [it, fresh] = span.try_emplace({op.chip, mb}, op.start_ps, op.end_ps);
    it->second.first = std::min(it->second.first, op.start_ps);
    it->second.second = std::max(it->second.second, op.end_ps);
  }
  auto at = [&](int chip, int mb) { return span[std::make_pair(chip, mb)]; };
  for (int chip : {0, 1}) {
    for (int k = 1; k < 4; ++k) {
      // GPipe order on each stage's stream: microbatch k after k-1.
      EXPECT_GE(at(chip, k).first, at(chip, k - 1).second) << chip << " " << k;
    }
  }
  for (int k = 0; k + 1 < 4; ++k) {
    // Stage 0 works on k+1 while stage 1 works on k.
    EXPECT_LT(at(0, k + 1).first, at(1, k).second) << k;
    EXPECT_GT(at(0, k + 1).second, at(1, k).first) << k;
  }
}

TEST(PipelineParallel, MicrobatchesShareWeightsAndRepeatEveryOtherTensorAndOp) {
  const workloads::ModelSpec spec = LoadModelSpec("llama3-8b");
  BuildOptions o;
  o.phase = v1::PHASE_DECODE;
  o.batch = 8;
  o.context_len = 256;
  o.layers = 4;
  o.tensor_parallel = 2;
  o.pipeline_parallel = 2;
  const v1::OperatorGraph one = BuildGraph(spec, o);
  o.microbatches = 4;
  const v1::OperatorGraph four = BuildGraph(spec, o);
  EXPECT_NO_THROW(workloads::ValidateGraph(one, one.name()));
  EXPECT_NO_THROW(workloads::ValidateGraph(four, four.name()));

  // One microbatch: the names are what they were before microbatches.
  for (const v1::Operator& op : one.ops())
    EXPECT_EQ(op.name().find(".mb"), std::string::npos);
  for (const v1::Tensor& t : one.tensors())
    EXPECT_EQ(t.name().find(".mb"), std::string::npos);
  EXPECT_EQ(one.name(), "llama3-8b.DECODE.b8.c256.tp2.pp2.ep1");

  EXPECT_EQ(four.ops_size(), 4 * one.ops_size());
  int weights_one = 0, weights_four = 0;
  for (const v1::Tensor& t : one.tensors()) weights_one += IsWeight(t);
  std::set<int> kv_rows;
  for (const v1::Tensor& t : four.tensors()) {
    if (IsWeight(t)) {
      ++weights_four;
      EXPECT_EQ(t.name().find(".mb"), std::string::npos) << t.name();
    } else {
      EXPECT_NE(t.name().find(".mb"), std::string::npos) << t.name();
    }
    // Each microbatch has its own KV cache, for its own 2 sequences.
    if (t.placement() == v1::PLACEMENT_KV_CACHE) kv_rows.insert(t.shape(0));
  }
  EXPECT_EQ(weights_four, weights_one);
  EXPECT_EQ(four.tensors_size() - weights_four, 4 * (one.tensors_size() - weights_one));
  EXPECT_EQ(four.origin().batch(), 8);
}

TEST(PipelineParallel, MicrobatchesThatDoNotDivideTheBatchAreAnErrorNamingTheOption) {
  BuildOptions o;
  o.phase = v1::PHASE_DECODE;
  o.batch = 6;
  o.context_len = 64;
  o.layers = 2;
  o.pipeline_parallel = 2;
  o.microbatches = 4;
  try {
    BuildGraph(LoadModelSpec("llama3-8b"), o);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("microbatches = 4"));
  }
  o.microbatches = 0;
  EXPECT_THROW(BuildGraph(LoadModelSpec("llama3-8b"), o), ConfigError);
}

SimulationRequest TpDecode(int batch, int dp) {
  SimulationRequest req;
  req.system = "dgx-h100";
  req.model = "llama3-8b";
  req.build.phase = v1::PHASE_DECODE;
  req.build.batch = batch;
  req.build.context_len = 1024;
  req.build.layers = 4;
  req.build.tensor_parallel = 4;
  req.build.data_parallel = dp;
  return req;
}

TEST(DataParallel, TwoReplicasTakeAsLongAsOneOnHalfTheBatchAndDoubleTheTokens) {
  Simulation one = Simulate(TpDecode(8, 1));
  Simulation two = Simulate(TpDecode(16, 2));
  // Replicas share no chip and, on a switch, no link: the step is as long
  // as one replica's.
  EXPECT_NEAR(Metric(two.record, "latency_s"), Metric(one.record, "latency_s"),
              1e-6 * Metric(one.record, "latency_s"));
  EXPECT_NEAR(Metric(two.record, "tokens_per_s"), 2 * Metric(one.record, "tokens_per_s"),
              1e-6 * Metric(one.record, "tokens_per_s"));
  EXPECT_EQ(Metric(one.record, "replicas"), 1);
  EXPECT_EQ(Metric(two.record, "replicas"), 2);
  EXPECT_NEAR(Metric(two.record, "tokens_per_s_per_replica"),
              Metric(one.record, "tokens_per_s"),
              1e-6 * Metric(one.record, "tokens_per_s"));
  EXPECT_EQ(Metric(two.record, "chips"), 8);
  EXPECT_FALSE(HasMetric(two.record, "pipeline_bubble_fraction"));
  // Replica r is on chips [4r, 4r + 4): no collective crosses replicas.
  for (const v1::Operator& op : two.graph.ops()) {
    const int replica = op.device() / 4;
    for (int d : op.collective().group()) EXPECT_EQ(d / 4, replica) << op.name();
  }
  std::set<int> chips;
  for (const OpRecord& op : two.record.ops) chips.insert(op.chip);
  EXPECT_EQ(chips.size(), 8u);
}

TEST(DataParallel, ReplicasComposeWithPipelineMicrobatches) {
  SimulationRequest req = PipelinedPrefill(2, 2);
  req.model = "llama3-8b";
  req.build.layers = 4;
  req.build.seq_len = 64;
  req.build.batch = 8;
  req.build.data_parallel = 2;
  req.build.tensor_parallel = 2;
  Simulation sim = Simulate(req);
  EXPECT_NO_THROW(workloads::ValidateGraph(sim.graph, sim.graph.name()));
  EXPECT_EQ(sim.graph.num_devices(), 8);
  EXPECT_EQ(Metric(sim.record, "replicas"), 2);
  EXPECT_GT(Metric(sim.record, "pipeline_bubble_fraction"), 0);
}

TEST(DataParallel, ADegreeThatDoesNotDivideTheBatchIsAnErrorNamingTheOption) {
  BuildOptions o;
  o.phase = v1::PHASE_DECODE;
  o.batch = 5;
  o.context_len = 64;
  o.layers = 2;
  o.data_parallel = 2;
  try {
    BuildGraph(LoadModelSpec("llama3-8b"), o);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("data_parallel = 2"));
  }
}

}  // namespace
}  // namespace dsasim
