// Accounting: what the built graphs add up to, against published parameter
// counts and closed forms.
#include <gtest/gtest.h>

#include <string>

#include "tests/workloads/graph_accounting.h"
#include "workloads/builders/graph_builder.h"

namespace dsasim::workloads {
namespace {

BuildOptions Decode(int64_t batch, int64_t context) {
  BuildOptions o;
  o.phase = v1::PHASE_DECODE;
  o.batch = batch;
  o.context_len = context;
  return o;
}

GraphCounts Count(const std::string& id, const BuildOptions& o) {
  return CountGraph(BuildGraph(LoadModelSpec(id), o));
}

double Active(const ModelSpec& spec, const GraphCounts& c) {
  // Params touched per token: all but the routed experts a token skips.
  // Both embedding tables count, as in the published Mixtral figure.
  double skipped = spec.experts > 0
                       ? 1.0 - static_cast<double>(spec.experts_per_token) / spec.experts
                       : 0.0;
  return c.params - c.routed_expert_params * skipped;
}

void ExpectWithin(double actual, double expected, double fraction) {
  EXPECT_NEAR(actual, expected, fraction * expected)
      << "actual " << actual / 1e9 << " B vs " << expected / 1e9 << " B";
}

TEST(ParameterCount, Llama3_8bHas8Point03BillionParameters) {
  ExpectWithin(Count("llama3-8b", Decode(1, 1)).params, 8.03e9, 0.01);
}

TEST(ParameterCount, Llama3_70bHas70Point6BillionParameters) {
  ExpectWithin(Count("llama3-70b", Decode(1, 1)).params, 70.6e9, 0.01);
}

TEST(ParameterCount, Llama31_405bHas405Point9BillionParameters) {
  ExpectWithin(Count("llama3.1-405b", Decode(1, 1)).params, 405.9e9, 0.01);
}

TEST(ParameterCount, Mixtral8x7bHas46Point7BillionTotalAnd12Point9BillionActive) {
  ModelSpec spec = LoadModelSpec("mixtral-8x7b");
  GraphCounts c = CountGraph(BuildGraph(spec, Decode(1, 1)));
  ExpectWithin(c.params, 46.7e9, 0.01);
  ExpectWithin(Active(spec, c), 12.9e9, 0.01);
}

TEST(ParameterCount, DeepSeekV3Has671BillionTotalAnd37BillionActive) {
  ModelSpec spec = LoadModelSpec("deepseek-v3");
  GraphCounts c = CountGraph(BuildGraph(spec, Decode(1, 1)));
  ExpectWithin(c.params, 671e9, 0.01);
  // Counting both embedding tables (as Mixtral's 12.9 B does) gives 37.55 B;
  // without them 36.63 B. The published "37 B" sits between the two, 1.5 %
  // from either, so this one figure is held to 2 %.
  ExpectWithin(Active(spec, c), 37e9, 0.02);
}

TEST(ParameterCount, Gemma2TiedEmbeddingsAreCountedOnce) {
  // Gemma-2-9B: 9.24 B with one shared 256000 x 3584 table.
  ExpectWithin(Count("gemma2-9b", Decode(1, 1)).params, 9.24e9, 0.01);
}

TEST(ParameterCount, SmallerShippedModelsMatchTheirModelCards) {
  ExpectWithin(Count("llama2-7b", Decode(1, 1)).params, 6.74e9, 0.01);
  ExpectWithin(Count("llama2-70b", Decode(1, 1)).params, 68.98e9, 0.01);
  ExpectWithin(Count("qwen2.5-7b", Decode(1, 1)).params, 7.62e9, 0.01);
  ExpectWithin(Count("olmo2-7b", Decode(1, 1)).params, 7.30e9, 0.01);
}

double KvBytesPerToken(const std::string& id) {
  const int64_t context = 999;
  return Count(id, Decode(1, context)).kv_cache_bytes / (context + 1);
}

TEST(KvCache, Llama3_70bStores327680BytesPerTokenInBf16) {
  EXPECT_EQ(KvBytesPerToken("llama3-70b"), 327680.0);  // 80·2·8·128·2
}

TEST(KvCache, DeepSeekV3MlaStoresOneLatentOf576PerLayer) {
  EXPECT_EQ(KvBytesPerToken("deepseek-v3"), 70272.0);  // (512+64)·61·2
}

TEST(Flops, Llama3_8bDecodeIsTwiceTheActiveParamsPlusAttention) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  const int64_t kv = 2048;
  GraphCounts c = CountGraph(BuildGraph(spec, Decode(1, kv - 1)));
  // The input embedding is a gather, not a matmul.
  double expected_matmul = 2.0 * (c.params - spec.vocab * spec.hidden);
  double attention = 4.0 * spec.layers * spec.heads * spec.head_dim * kv;
  ExpectWithin(c.matmul_flops, expected_matmul, 0.001);
  EXPECT_DOUBLE_EQ(c.attention_flops, attention);
  ExpectWithin(c.matmul_flops + c.attention_flops, expected_matmul + attention, 0.01);
}

TEST(Flops, DeepSeekV3AbsorbedDecodeIsTwiceTheActiveParamsPlusLatentAttention) {
  ModelSpec spec = LoadModelSpec("deepseek-v3");
  const int64_t kv = 4096;
  GraphCounts c = CountGraph(BuildGraph(spec, Decode(1, kv - 1)));
  double expected_matmul = 2.0 * (Active(spec, c) - spec.vocab * spec.hidden);
  // Scores over 576 latent dims, values over 512, per head and layer.
  double attention = 2.0 * spec.layers * spec.heads * (576 + 512) * kv;
  ExpectWithin(c.matmul_flops, expected_matmul, 0.01);
  EXPECT_DOUBLE_EQ(c.attention_flops, attention);
}

TEST(Collectives, TensorParallelAllReducesHiddenActivationsTwicePerLayer) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  BuildOptions o = Decode(8, 100);
  o.tensor_parallel = 8;
  GraphCounts c = CountGraph(BuildGraph(spec, o));
  // Two per layer, plus the vocab-parallel embedding's.
  const int n = 2 * 32 + 1;
  EXPECT_EQ(c.device0_collectives[v1::COLLECTIVE_ALL_REDUCE], n);
  EXPECT_EQ(c.device0_collective_bytes[v1::COLLECTIVE_ALL_REDUCE], n * 8.0 * 4096 * 2);
  // The LM head gathers the vocab-parallel logits.
  EXPECT_EQ(c.device0_collectives[v1::COLLECTIVE_ALL_GATHER], 1);
  EXPECT_EQ(c.device0_collective_bytes[v1::COLLECTIVE_ALL_GATHER], 8.0 * 128256 / 8 * 2);
}

TEST(Collectives, ReduceScatterStyleMovesTheSameBytesInTwoHalves) {
  BuildOptions o = Decode(8, 100);
  o.tensor_parallel = 8;
  o.tp_style = TpCollectiveStyle::kReduceScatterAllGather;
  GraphCounts c = CountGraph(BuildGraph(LoadModelSpec("llama3-8b"), o));
  const int n = 2 * 32 + 1;
  EXPECT_EQ(c.device0_collectives[v1::COLLECTIVE_ALL_REDUCE], 0);
  EXPECT_EQ(c.device0_collectives[v1::COLLECTIVE_REDUCE_SCATTER], n);
  EXPECT_EQ(c.device0_collective_bytes[v1::COLLECTIVE_REDUCE_SCATTER],
            n * 8.0 * 4096 * 2);
  // Each all-gather starts from the 1/8 shard.
  EXPECT_EQ(c.device0_collectives[v1::COLLECTIVE_ALL_GATHER], n + 1);
}

TEST(Collectives, TensorParallelShrinksEachDevicesWeightsByTp) {
  ModelSpec spec = LoadModelSpec("llama3-70b");
  GraphCounts one = Count("llama3-70b", Decode(1, 1));
  BuildOptions o = Decode(1, 1);
  o.tensor_parallel = 8;
  GraphCounts eight = CountGraph(BuildGraph(spec, o));
  // Eight devices, each 1/8 of every matrix (8 KV heads split exactly);
  // only the norm scales are replicated.
  ExpectWithin(eight.params, one.params, 0.001);
}

}  // namespace
}  // namespace dsasim::workloads
