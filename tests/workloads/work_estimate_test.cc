#include "workloads/builders/work_estimate.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/error.h"

namespace dsasim::workloads {
namespace {

struct Shape {
  const char* model;
  v1::Phase phase;
  int64_t batch, seq, context, layers;
  int ep;
  // Allowed relative error of the op, tensor, list and stored-byte counts.
  double tolerance;
};

class EstimateMatchesTheBuild : public ::testing::TestWithParam<Shape> {};

TEST_P(EstimateMatchesTheBuild, CountsAgreeWithTheGraphItWouldBuild) {
  const Shape& s = GetParam();
  ModelSpec spec = LoadModelSpec(s.model);
  BuildOptions o;
  o.phase = s.phase;
  o.batch = s.batch;
  o.seq_len = s.seq;
  o.context_len = s.context;
  o.layers = s.layers;
  o.expert_parallel = s.ep;
  const GraphSize estimate = EstimateGraphSize(spec, o);
  const GraphSize built = MeasureGraphSize(BuildGraph(spec, o));
  auto near = [&](double e, double b, const char* what) {
    EXPECT_NEAR(e, b, s.tolerance * b + 1e-6) << s.model << " " << what;
  };
  near(estimate.ops, built.ops, "ops");
  near(estimate.tensors, built.tensors, "tensors");
  near(estimate.list_entries, built.list_entries, "list entries");
  near(estimate.stored_bytes, built.stored_bytes, "stored bytes");
  // Varints make the encoding only nearly affine in the batch.
  EXPECT_NEAR(estimate.encoded_bytes, built.encoded_bytes, 0.05 * built.encoded_bytes)
      << s.model;
}

INSTANTIATE_TEST_SUITE_P(
    Models, EstimateMatchesTheBuild,
    ::testing::Values(Shape{"llama3-8b", v1::PHASE_DECODE, 8, 0, 4096, 0, 1, 1e-9},
                      Shape{"llama3-8b", v1::PHASE_PREFILL, 3, 512, 0, 0, 1, 1e-9},
                      Shape{"gemma2-9b", v1::PHASE_DECODE, 5, 0, 1024, 0, 1, 1e-9},
                      Shape{"mixtral-8x7b", v1::PHASE_DECODE, 16, 0, 512, 4, 1, 1e-9},
                      // DeepSeek's 3 leading dense layers are counted as MoE
                      // layers: a small over-estimate.
                      Shape{"deepseek-v3", v1::PHASE_DECODE, 8, 0, 1024, 6, 1, 0.10}));

// Pipeline stages need a layer each in the estimate's small builds, and
// replicas and microbatches multiply the ops: the estimate stays exact.
TEST(EstimateWithParallelism, PipelineStagesReplicasAndMicrobatchesAreCountedExactly) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  for (int pp : {2, 4}) {
    for (int64_t layers : {int64_t{0}, int64_t{pp}, int64_t{pp + 3}}) {
      BuildOptions o;
      o.phase = v1::PHASE_DECODE;
      o.batch = 16;
      o.context_len = 512;
      o.layers = layers;
      o.tensor_parallel = 2;
      o.pipeline_parallel = pp;
      o.data_parallel = 2;
      o.microbatches = 4;
      const GraphSize estimate = EstimateGraphSize(spec, o);
      const GraphSize built = MeasureGraphSize(BuildGraph(spec, o));
      EXPECT_NEAR(estimate.ops, built.ops, 1e-6) << pp << " " << layers;
      EXPECT_NEAR(estimate.tensors, built.tensors, 1e-6) << pp << " " << layers;
      EXPECT_NEAR(estimate.stored_bytes, built.stored_bytes, 1e-6 * built.stored_bytes)
          << pp << " " << layers;
    }
  }
}

TEST(WorkloadRanges, ABatchOutsideItsRangeNamesTheFieldTheValueAndTheRange) {
  BuildOptions o;
  for (int64_t bad : {int64_t{0}, int64_t{2147483648}}) {
    o.batch = bad;
    try {
      CheckWorkloadRanges(o, "llama3-8b");
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()),
                "llama3-8b: workload: batch: " + std::to_string(bad) +
                    " is out of range [1, 1048576]");
    }
  }
}

TEST(WorkLimits, AGraphAboveTheMemoryLimitIsRefusedBeforeItIsBuilt) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  BuildOptions o;
  o.batch = 1048576;  // in range, but 2 M list entries per attention op
  o.context_len = 128;
  GraphSize size = EstimateGraphSize(spec, o);
  WorkLimits limits;
  limits.max_memory_bytes = 64.0 * (1 << 20);
  EXPECT_THROW(CheckGraphFits(size, limits, "llama3-8b"), LimitError);
  limits.max_memory_bytes = 1e15;
  EXPECT_NO_THROW(CheckGraphFits(size, limits, "llama3-8b"));
}

}  // namespace
}  // namespace dsasim::workloads
