// The op helpers of build_context.h.
#include <string>
#include <vector>

#include "workloads/builders/build_context.h"

namespace dsasim::workloads {

std::string Shard::Name(const std::string& base) const {
  std::string prefix = layer >= 0 ? "L" + std::to_string(layer) + "." : "";
  return prefix + base + microbatch + suffix;
}

std::string Shard::WeightName(const std::string& base) const {
  std::string prefix = layer >= 0 ? "L" + std::to_string(layer) + "." : "";
  return prefix + base + suffix;
}

Shard BuildContext::MakeShard(int64_t layer, int ep_rank, int tp_rank) const {
  Shard s;
  s.layer = layer;
  s.stage = layer >= 0 ? plan.StageOfLayer(layer) : 0;
  s.ep_rank = ep_rank;
  s.tp_rank = tp_rank;
  s.replica = replica;
  s.device = plan.Device(s.stage, ep_rank, tp_rank, replica);
  s.suffix = plan.Suffix(s.device);
  s.microbatch = microbatch;
  s.batch = &groups[ep_rank];
  return s;
}

std::vector<int64_t> ShapeOf(const BuildContext& ctx, const std::string& tensor) {
  const v1::Tensor& t = ctx.writer.TensorByName(tensor);
  return std::vector<int64_t>(t.shape().begin(), t.shape().end());
}

bool NeedsScales(v1::DType dtype) {
  return dtype == v1::DTYPE_INT4 || dtype == v1::DTYPE_FP4_E2M1 ||
         dtype == v1::DTYPE_INT8;
}

std::string Activation(BuildContext& ctx, const Shard& s, const std::string& base,
                       const std::vector<int64_t>& shape) {
  return ctx.writer.Tensor(s.Name(base), shape, ctx.Act(), v1::PLACEMENT_ACTIVATION);
}

std::vector<std::string> AddWeight(BuildContext& ctx, const Shard& s,
                                   const std::string& base, std::vector<int64_t> shape) {
  const v1::DType dtype = ctx.options.weight_dtype;
  std::string w = ctx.writer.SharedTensor(s.WeightName(base + ".w"), shape, dtype,
                                          v1::PLACEMENT_WEIGHT);
  if (!NeedsScales(dtype)) return {w};
  // One scale per `group` elements along K, per output column: [K/group, N]
  // (rounded up), or [G, K/group, N] for grouped weights.
  const int64_t group = ctx.options.weight_group_size;
  std::vector<int64_t> scale_shape = shape;
  int64_t& k = scale_shape[scale_shape.size() - 2];
  k = (k + group - 1) / group;
  std::string scale = ctx.writer.SharedTensor(s.WeightName(base + ".scale"), scale_shape,
                                              v1::DTYPE_BF16, v1::PLACEMENT_WEIGHT_SCALE);
  v1::Quantization* q = ctx.writer.MutableTensor(w).mutable_quantization();
  q->set_group_size(group);
  q->set_scale_dtype(v1::DTYPE_BF16);
  q->set_scale_tensor(scale);
  return {w, scale};
}

std::string Linear(BuildContext& ctx, const Shard& s, const std::string& base,
                   const std::string& in, int64_t k, int64_t n, bool bias) {
  std::vector<int64_t> shape = ShapeOf(ctx, in);
  shape.back() = n;
  std::string out = Activation(ctx, s, base, shape);
  std::vector<std::string> inputs = {in};
  for (std::string& w : AddWeight(ctx, s, base, {k, n})) inputs.push_back(std::move(w));
  if (bias) {
    inputs.push_back(ctx.writer.SharedTensor(s.WeightName(base + ".b"), {n}, ctx.Act(),
                                             v1::PLACEMENT_WEIGHT));
  }
  ctx.writer.Op(s.Name(base), inputs, {out}, s.LayerIndex(), s.device)
      .mutable_matmul()
      ->set_has_bias(bias);
  return out;
}

std::string GroupedLinear(BuildContext& ctx, const Shard& s, const std::string& base,
                          const std::string& in, const std::vector<int64_t>& group_rows,
                          int64_t k, int64_t n) {
  std::vector<int64_t> shape = ShapeOf(ctx, in);
  shape.back() = n;
  std::string out = Activation(ctx, s, base, shape);
  std::vector<std::string> inputs = {in};
  auto groups = static_cast<int64_t>(group_rows.size());
  for (std::string& w : AddWeight(ctx, s, base, {groups, k, n})) {
    inputs.push_back(std::move(w));
  }
  v1::MatMul* mm = ctx.writer.Op(s.Name(base), inputs, {out}, s.LayerIndex(), s.device)
                       .mutable_matmul();
  mm->mutable_group_rows()->Add(group_rows.begin(), group_rows.end());
  return out;
}

std::string Norm(BuildContext& ctx, const Shard& s, const std::string& base,
                 const std::string& in, int64_t width) {
  std::vector<int64_t> shape = ShapeOf(ctx, in);
  std::string out = Activation(ctx, s, base, shape);
  // Norm scales stay in the activation dtype: nobody quantizes them.
  std::string gamma = ctx.writer.SharedTensor(s.WeightName(base + ".w"), {width},
                                              ctx.Act(), v1::PLACEMENT_WEIGHT);
  v1::Norm* norm =
      ctx.writer.Op(s.Name(base), {in, gamma}, {out}, s.LayerIndex(), s.device)
          .mutable_norm();
  norm->set_kind(ctx.spec.norm == ModelNormKind::kRms ? v1::NORM_RMS : v1::NORM_LAYER);
  norm->set_epsilon(static_cast<float>(ctx.spec.norm_eps));
  return out;
}

std::string Add(BuildContext& ctx, const Shard& s, const std::string& base,
                const std::string& a, const std::string& b) {
  std::vector<int64_t> shape = ShapeOf(ctx, a);
  std::string out = Activation(ctx, s, base, shape);
  ctx.writer.Op(s.Name(base), {a, b}, {out}, s.LayerIndex(), s.device)
      .mutable_elementwise()
      ->set_kind(v1::ELEMENTWISE_ADD);
  return out;
}

std::string TpReduce(BuildContext& ctx, const Shard& s, const std::string& base,
                     const std::string& partial) {
  const ParallelPlan& plan = ctx.plan;
  if (plan.tp == 1) return partial;
  std::vector<int64_t> shape = ShapeOf(ctx, partial);
  std::vector<int> group = plan.TpGroup(s.stage, s.ep_rank, s.replica);
  auto collective = [&](const std::string& name, const std::string& in,
                        const std::string& out, v1::CollectiveKind kind) {
    v1::Collective* c = ctx.writer.Op(s.Name(name), {in}, {out}, s.LayerIndex(), s.device)
                            .mutable_collective();
    c->set_kind(kind);
    c->mutable_group()->Add(group.begin(), group.end());
  };
  if (ctx.options.tp_style == TpCollectiveStyle::kAllReduce) {
    std::string out = Activation(ctx, s, base + ".allreduce", shape);
    collective(base + ".allreduce", partial, out, v1::COLLECTIVE_ALL_REDUCE);
    return out;
  }
  // Sequence-parallel style: the same bytes as an AllReduce in two halves.
  // We gather right away and keep the residual stream replicated, charging
  // the residual add and norm on all rows instead of 1/tp of them: those are
  // small elementwise ops, and it keeps every block's input shape the same.
  std::vector<int64_t> scattered = shape;
  scattered.back() = DivideOrThrow(shape.back(), plan.tp, "the hidden size",
                                   "tensor_parallel (reduce-scatter style)");
  std::string rs = Activation(ctx, s, base + ".reduce_scatter", scattered);
  collective(base + ".reduce_scatter", partial, rs, v1::COLLECTIVE_REDUCE_SCATTER);
  std::string ag = Activation(ctx, s, base + ".all_gather", shape);
  collective(base + ".all_gather", rs, ag, v1::COLLECTIVE_ALL_GATHER);
  return ag;
}

}  // namespace dsasim::workloads
