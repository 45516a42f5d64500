// File: workloads/builders/graph_builder.h
//
// Builds the operator graph of one inference step (prefill, decode, mixed or
// speculative verify) of a model, for a batch shape, per-tensor-class
// precision and a parallelism plan. This is the contract between the model
// zoo and everything that consumes graphs (lowering, `dsasim graph`, traces).
//
// Example:
//   ModelSpec spec = LoadModelSpec("llama3-8b");   // or a config.json path
//   BuildOptions opt;
//   opt.phase = v1::PHASE_DECODE;
//   opt.batch = 8;
//   opt.context_len = 4096;
//   v1::OperatorGraph graph = BuildGraph(spec, opt);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "workloads/models/model_spec.h"

namespace dsasim::workloads {

enum class TpCollectiveStyle {
  // Row-parallel output followed by one AllReduce.
  kAllReduce,
  // ReduceScatter after the row-parallel matmul, AllGather before the next
  // column-parallel one (sequence-parallel style).
  kReduceScatterAllGather,
};

enum class RoutingModel {
  kUniform,
  // Expert popularity follows Zipf(s) over a seeded permutation of experts.
  kZipf,
  // Per-expert weights read from a file (one number per line).
  kHistogram,
};

struct BuildOptions {
  v1::Phase phase = v1::PHASE_DECODE;
  int64_t batch = 1;
  // Prefill: new tokens per sequence. Mixed: chunked-prefill tokens.
  int64_t seq_len = 0;
  // Decode: tokens already in the KV cache per sequence.
  int64_t context_len = 0;
  // Mixed iterations: decode sequences and their context, besides `batch`
  // prefill chunks of `seq_len` tokens.
  int64_t decode_batch = 0;
  // Speculative verify: draft tokens per sequence.
  int64_t draft_tokens = 0;

  v1::DType weight_dtype = v1::DTYPE_BF16;
  v1::DType activation_dtype = v1::DTYPE_BF16;
  v1::DType kv_dtype = v1::DTYPE_BF16;
  // Group size of weight scales for int4/fp4/int8 weights.
  int64_t weight_group_size = 128;

  int tensor_parallel = 1;
  int pipeline_parallel = 1;
  int expert_parallel = 1;
  // Independent replicas, each on tp·pp·ep devices of its own and on
  // batch / data_parallel of the sequences (parallelism.h).
  int data_parallel = 1;
  // Pipeline microbatches: each replica's sequences split into this many
  // equal parts that go through the stages one after another (GPipe), so
  // stage s works on microbatch k+1 while stage s+1 works on microbatch k.
  // Must divide the replica's sequences. Without pipeline stages it still
  // splits the step into sequential parts on the same devices (smaller
  // operators, same weights), which is allowed but only costs time.
  int microbatches = 1;
  TpCollectiveStyle tp_style = TpCollectiveStyle::kAllReduce;

  // MLA decode: absorb W_UK/W_UV into the projections (DeepSeek's inference
  // path) instead of decompressing the latent cache.
  bool mla_absorbed = true;
  // Paged KV cache page size in tokens; 0 = contiguous cache.
  int32_t kv_page_size = 0;

  RoutingModel routing = RoutingModel::kUniform;
  double zipf_s = 1.0;
  std::string routing_histogram_path;
  double capacity_factor = 0;  // 0 = no capacity limit
  uint64_t seed = 1;

  // Emit only the first `layers` transformer layers (0 = all).
  int64_t layers = 0;
};

// Throws ConfigError for options the model cannot take (TP not dividing the
// heads, a phase without its lengths, ...), naming the option and value.
v1::OperatorGraph BuildGraph(const ModelSpec& spec, const BuildOptions& options);

}  // namespace dsasim::workloads
