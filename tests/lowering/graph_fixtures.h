// File: tests/lowering/graph_fixtures.h
//
// Small hand-built operator graphs for lowering and chip tests: they pin the
// shapes exactly, independent of the model builders.
#pragma once

#include <string>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::testing {

inline v1::Tensor* AddTensor(v1::OperatorGraph& g, const std::string& name,
                             std::initializer_list<int64_t> shape,
                             v1::Placement placement, v1::DType dtype = v1::DTYPE_BF16) {
  v1::Tensor* t = g.add_tensors();
  t->set_name(name);
  for (int64_t d : shape) t->add_shape(d);
  t->set_dtype(dtype);
  t->set_placement(placement);
  return t;
}

// C[m,n] = A[m,k] · W[k,n], `copies` times in a chain (x_i+1 = x_i · W_i),
// each with its own weight — identical layers for memoization tests.
inline v1::OperatorGraph MatMulChain(int64_t m, int64_t k, int copies = 1,
                                     v1::DType weight_dtype = v1::DTYPE_BF16) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("matmul_chain");
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_DECODE);
  g.mutable_origin()->set_batch(m);
  AddTensor(g, "x0", {m, k}, v1::PLACEMENT_ACTIVATION);
  for (int i = 0; i < copies; ++i) {
    std::string w = "w" + std::to_string(i), y = "x" + std::to_string(i + 1);
    AddTensor(g, w, {k, k}, v1::PLACEMENT_WEIGHT, weight_dtype);
    AddTensor(g, y, {m, k}, v1::PLACEMENT_ACTIVATION);
    v1::Operator* op = g.add_ops();
    op->set_name("mm" + std::to_string(i));
    op->add_inputs("x" + std::to_string(i));
    op->add_inputs(w);
    op->add_outputs(y);
    op->set_layer(i);
    op->mutable_matmul();
  }
  return g;
}

// C[m,n] = A[m,k] · W[k,n] with W in `weight_dtype`, carrying group scales
// [k/group, n] (bf16) when `group` > 0.
inline v1::OperatorGraph QuantizedMatMul(int64_t m, int64_t k, int64_t n,
                                         v1::DType weight_dtype, int64_t group) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("quantized_matmul");
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_DECODE);
  g.mutable_origin()->set_batch(m);
  AddTensor(g, "x", {m, k}, v1::PLACEMENT_ACTIVATION);
  v1::Tensor* w = AddTensor(g, "w", {k, n}, v1::PLACEMENT_WEIGHT, weight_dtype);
  AddTensor(g, "y", {m, n}, v1::PLACEMENT_ACTIVATION);
  v1::Operator* op = g.add_ops();
  op->set_name("mm");
  op->add_inputs("x");
  op->add_inputs("w");
  op->add_outputs("y");
  op->mutable_matmul();
  if (group > 0) {
    AddTensor(g, "w.scale", {(k + group - 1) / group, n}, v1::PLACEMENT_WEIGHT_SCALE);
    w->mutable_quantization()->set_group_size(group);
    w->mutable_quantization()->set_scale_dtype(v1::DTYPE_BF16);
    w->mutable_quantization()->set_scale_tensor("w.scale");
    op->add_inputs("w.scale");
  }
  return g;
}

// Embedding lookup of `tokens` rows of a [vocab, hidden] bf16 table.
inline v1::OperatorGraph EmbeddingLookup(int64_t tokens, int64_t vocab, int64_t hidden) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("embedding");
  g.set_num_devices(1);
  AddTensor(g, "table", {vocab, hidden}, v1::PLACEMENT_WEIGHT);
  AddTensor(g, "ids", {tokens}, v1::PLACEMENT_ACTIVATION, v1::DTYPE_INT32);
  AddTensor(g, "rows", {tokens, hidden}, v1::PLACEMENT_ACTIVATION);
  v1::Operator* op = g.add_ops();
  op->set_name("embed");
  op->add_inputs("table");
  op->add_inputs("ids");
  op->add_outputs("rows");
  op->mutable_embedding();
  return g;
}

// Decode attention (one new token per sequence) over KV caches
// [batch, context, kv_heads, head_dim] in bf16, paged when `page` > 0.
inline v1::OperatorGraph DecodeAttention(int64_t batch, int64_t context, int q_heads,
                                         int kv_heads, int head_dim, int page) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("decode_attention");
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_DECODE);
  g.mutable_origin()->set_batch(batch);
  AddTensor(g, "q", {batch, q_heads, head_dim}, v1::PLACEMENT_ACTIVATION);
  AddTensor(g, "k", {batch, context, kv_heads, head_dim}, v1::PLACEMENT_KV_CACHE);
  AddTensor(g, "v", {batch, context, kv_heads, head_dim}, v1::PLACEMENT_KV_CACHE);
  AddTensor(g, "o", {batch, q_heads, head_dim}, v1::PLACEMENT_ACTIVATION);
  v1::Operator* op = g.add_ops();
  op->set_name("sdpa");
  for (const char* in : {"q", "k", "v"}) op->add_inputs(in);
  op->add_outputs("o");
  v1::Attention* a = op->mutable_attention();
  a->set_variant(q_heads == kv_heads ? v1::ATTENTION_MHA : v1::ATTENTION_GQA);
  a->set_causal(true);
  a->set_num_q_heads(q_heads);
  a->set_num_kv_heads(kv_heads);
  a->set_head_dim(head_dim);
  a->set_v_head_dim(head_dim);
  for (int64_t i = 0; i < batch; ++i) {
    a->add_q_lens(1);
    a->add_kv_lens(context);
  }
  a->set_page_size(page);
  return g;
}

// Reads every sequence's `tokens` cached rows of a [batch, capacity,
// kv_heads, head_dim] bf16 cache into a contiguous buffer; paged when `page`
// > 0.
inline v1::OperatorGraph KvCacheReadOp(int64_t batch, int64_t capacity, int64_t tokens,
                                       int kv_heads, int head_dim, int page) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("kv_cache_read");
  g.set_num_devices(1);
  AddTensor(g, "cache", {batch, capacity, kv_heads, head_dim}, v1::PLACEMENT_KV_CACHE);
  AddTensor(g, "rows", {batch * tokens, kv_heads, head_dim}, v1::PLACEMENT_ACTIVATION);
  v1::Operator* op = g.add_ops();
  op->set_name("read");
  op->add_inputs("cache");
  op->add_outputs("rows");
  op->mutable_kv_cache_read()->set_page_size(page);
  return g;
}

}  // namespace dsasim::testing
