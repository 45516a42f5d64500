#include "workloads/graph/graph_stats.h"

#include <gtest/gtest.h>

#include "tests/graph/test_graphs.h"
#include "workloads/graph/dtype.h"

namespace dsasim::workloads {
namespace {

using testing::MlpBlock;
using testing::TestGraph;

TEST(GraphStats, MlpBlockMatchesHandCountedFigures) {
  GraphStats s = ComputeStats(MlpBlock());
  EXPECT_EQ(s.params_total, 8 + 128 + 64);
  EXPECT_EQ(s.params_active, 200);
  EXPECT_EQ(s.flops, 1856);
  EXPECT_EQ(s.bytes, 1232);
  EXPECT_EQ(s.bytes_by_class.weight, 400);
  EXPECT_EQ(s.bytes_by_class.activation, 448);
  EXPECT_EQ(s.bytes_by_class.kv_cache, 0);
  ASSERT_EQ(s.per_op.size(), 5u);
  EXPECT_EQ(s.per_op[1].name, "up");
  EXPECT_EQ(s.per_op[1].kind, "matmul");
  EXPECT_EQ(s.per_op[1].flops, 2 * 4 * 16 * 8);
  EXPECT_EQ(s.per_op[1].bytes, 64 + 256 + 128);
  EXPECT_DOUBLE_EQ(s.per_op[1].intensity, 1024.0 / 448);
  ASSERT_EQ(s.per_layer.size(), 1u);
  EXPECT_EQ(s.per_layer[0].layer, 0);
  EXPECT_DOUBLE_EQ(s.per_layer[0].intensity, 1856.0 / 1232);
}

TEST(GraphStats, SubByteWeightsTakeHalfAByteRoundedUp) {
  EXPECT_EQ(DTypeBytes(v1::DTYPE_INT4), 0.5);
  EXPECT_EQ(DTypeBytes(v1::DTYPE_FP4_E2M1), 0.5);
  TestGraph t;
  v1::Tensor* w = t.Tensor("w", {3, 5}, v1::PLACEMENT_WEIGHT, v1::DTYPE_INT4);
  EXPECT_EQ(TensorBytes(*w), 8);  // 15 nibbles
}

double AttentionFlops(bool causal, std::vector<int64_t> q, std::vector<int64_t> kv,
                      int64_t window = 0) {
  int64_t q_rows = 0;
  for (int64_t n : q) q_rows += n;
  TestGraph t;
  t.Tensor("q", {q_rows, 4, 8});
  t.Tensor("k", {64, 2, 8}, v1::PLACEMENT_KV_CACHE);
  t.Tensor("v", {64, 2, 8}, v1::PLACEMENT_KV_CACHE);
  t.Tensor("o", {q_rows, 4, 8});
  auto* at = t.Op("attn", {"q", "k", "v"}, {"o"})->mutable_attention();
  at->set_variant(v1::ATTENTION_GQA);
  at->set_causal(causal);
  at->set_num_q_heads(4);
  at->set_num_kv_heads(2);
  at->set_head_dim(8);
  at->set_sliding_window(window);
  for (int64_t n : q) at->add_q_lens(n);
  for (int64_t n : kv) at->add_kv_lens(n);
  return ComputeStats(t.graph).flops;
}

TEST(GraphStats, CausalPrefillAttentionScoresHalfTheSquarePlusTheDiagonal) {
  // 16·17/2 pairs · 4 heads · 2 · (8 + 8).
  EXPECT_EQ(AttentionFlops(true, {16}, {16}), 2.0 * 136 * 4 * 16);
  EXPECT_EQ(AttentionFlops(false, {16}, {16}), 2.0 * 256 * 4 * 16);
}

TEST(GraphStats, DecodeAttentionScoresTheWholeContextPerSequence) {
  EXPECT_EQ(AttentionFlops(true, {1, 1}, {32, 10}), 2.0 * 42 * 4 * 16);
}

TEST(GraphStats, SlidingWindowCapsTheKeysPerQuery) {
  // min(position + 1, 4) for positions 0..15: 1 + 2 + 3 + 13·4.
  EXPECT_EQ(AttentionFlops(true, {16}, {16}, 4), 2.0 * 58 * 4 * 16);
}

TEST(GraphStats, ExpertWeightsCountTopKOverExpertsAsActive) {
  TestGraph t;
  t.Tensor("x", {4, 8});
  t.Tensor("xd", {8, 8});
  t.Tensor("w", {8, 8, 16}, v1::PLACEMENT_WEIGHT);
  t.Tensor("y", {8, 16});
  auto* d = t.Op("dispatch", {"x"}, {"xd"})->mutable_moe_dispatch();
  d->set_num_experts(8);
  d->set_top_k(2);
  auto* mm = t.Op("experts", {"xd", "w"}, {"y"})->mutable_matmul();
  for (int e = 0; e < 8; ++e) mm->add_group_rows(1);
  GraphStats s = ComputeStats(t.graph);
  EXPECT_EQ(s.params_total, 1024);
  EXPECT_EQ(s.params_active, 256);
  EXPECT_EQ(s.per_op[1].flops, 2.0 * 8 * 16 * 8);
}

TEST(GraphStats, KvCacheAppendMovesOnlyTheNewRows) {
  TestGraph t;
  t.Tensor("k_new", {2, 2, 8});
  t.Tensor("k_cache", {2, 64, 2, 8}, v1::PLACEMENT_KV_CACHE);
  t.Op("append", {"k_new"}, {"k_cache"})->mutable_kv_cache_append();
  GraphStats s = ComputeStats(t.graph);
  EXPECT_EQ(s.per_op[0].bytes, 2 * 64);
  EXPECT_EQ(s.bytes_by_class.kv_cache, 2 * 64 * 2 * 8 * 2);
}

}  // namespace
}  // namespace dsasim::workloads
