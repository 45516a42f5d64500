// File: workloads/builders/build_context.h
//
// What every block builder shares while one graph is built, and the small
// op helpers (projection with its weight, norm, add, TP reduction) the
// blocks are made of. Internal to workloads/builders.
//
// Example:
//   Shard s = ctx.MakeShard(layer, ep_rank, tp_rank);
//   std::string h = Norm(ctx, s, "attn_norm", x, spec.hidden);
//   std::string q = Linear(ctx, s, "attn.q_proj", h, spec.hidden, q_cols);
//
// Naming: a layer's tensors and ops are "L<layer>.<block>.<what>", the
// model's outer ops drop the "L<layer>." prefix; weights add ".w", scales
// ".scale", biases ".b"; with several pipeline microbatches every name but
// a weight's adds ".mb<k>" (weights are shared by the microbatches); on
// multi-device graphs every name ends in ".d<device>". Names are thus
// unique and the same on every build.
#pragma once

#include <string>
#include <vector>

#include "workloads/builders/batch_layout.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/builders/graph_writer.h"
#include "workloads/builders/parallelism.h"
#include "workloads/builders/routing.h"

namespace dsasim::workloads {

// One device's part of one layer (or of the outer ops when layer == -1).
struct Shard {
  int64_t layer = -1;
  int stage = 0;
  int ep_rank = 0;
  int tp_rank = 0;
  int replica = 0;
  int device = 0;
  std::string suffix;      // ".d<device>" or ""
  std::string microbatch;  // ".mb<k>" or ""
  const BatchLayout* batch = nullptr;

  // "L3.attn.q_proj.mb1.d5" for base "attn.q_proj": the microbatch's own
  // activation, KV cache or op.
  std::string Name(const std::string& base) const;
  // "L3.attn.q_proj.w.d5" for base "attn.q_proj.w": a weight, the same
  // tensor for every microbatch.
  std::string WeightName(const std::string& base) const;
  int LayerIndex() const { return static_cast<int>(layer); }
  int64_t Tokens() const { return batch->Tokens(); }
};

struct BuildContext {
  const ModelSpec& spec;
  const BuildOptions& options;
  const ParallelPlan& plan;
  GraphWriter& writer;
  // Sequences of each EP group (one group when ep == 1) of the microbatch
  // being built.
  std::vector<BatchLayout> groups;
  // Routing model; unused for dense models.
  ExpertPopularity popularity;
  // The replica and microbatch being built (BuildGraph sets them).
  int replica;
  std::string microbatch;

  Shard MakeShard(int64_t layer, int ep_rank, int tp_rank) const;
  v1::DType Act() const { return options.activation_dtype; }
};

std::vector<int64_t> ShapeOf(const BuildContext& ctx, const std::string& tensor);

// Whether `dtype` is stored with group scales (int4, fp4, int8).
bool NeedsScales(v1::DType dtype);

// Adds a weight of `shape` ([K, N] or [G, K, N]) and, for quantized
// weight_dtype, its scale tensor, or finds them when an earlier microbatch
// added them; returns the matmul's B (and scale) inputs.
std::vector<std::string> AddWeight(BuildContext& ctx, const Shard& s,
                                   const std::string& base, std::vector<int64_t> shape);

// out = in · W (+ bias): in [rows, K] -> [rows, N].
std::string Linear(BuildContext& ctx, const Shard& s, const std::string& base,
                   const std::string& in, int64_t k, int64_t n, bool bias = false);

// Grouped matmul over G groups: in [sum(group_rows), K] -> [.., N].
std::string GroupedLinear(BuildContext& ctx, const Shard& s, const std::string& base,
                          const std::string& in, const std::vector<int64_t>& group_rows,
                          int64_t k, int64_t n);

// Norm over the last dim with a learned scale of `width` elements.
std::string Norm(BuildContext& ctx, const Shard& s, const std::string& base,
                 const std::string& in, int64_t width);

std::string Add(BuildContext& ctx, const Shard& s, const std::string& base,
                const std::string& a, const std::string& b);

// Sums a row-parallel partial result over the shard's TP group: one
// AllReduce, or ReduceScatter then AllGather (tp_style). Identity at tp 1.
std::string TpReduce(BuildContext& ctx, const Shard& s, const std::string& base,
                     const std::string& partial);

// Activation-dtype tensor of `shape` named s.Name(base).
std::string Activation(BuildContext& ctx, const Shard& s, const std::string& base,
                       const std::vector<int64_t>& shape);

// SwiGLU or GeGLU, by the model's activation.
v1::ActivationKind GatedActivation(const ModelSpec& spec);

// Blocks: each takes the normed input h [tokens, hidden] of one shard and
// returns its row-parallel partial output [tokens, hidden] (before TpReduce).
std::string AttentionBlock(BuildContext& ctx, const Shard& s, const std::string& h);
std::string MlaBlock(BuildContext& ctx, const Shard& s, const std::string& h);
// Dense gated FFN of global width `intermediate`, split over TP.
std::string MlpBlock(BuildContext& ctx, const Shard& s, const std::string& block,
                     const std::string& h, int64_t intermediate);
std::string MoeBlock(BuildContext& ctx, const Shard& s, const std::string& h);

}  // namespace dsasim::workloads
