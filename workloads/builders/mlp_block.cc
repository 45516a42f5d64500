// Dense gated FFN of one shard: gate and up (column-parallel), SwiGLU or
// GeGLU, down (row-parallel; the caller reduces over TP).
#include <string>

#include "workloads/builders/build_context.h"

namespace dsasim::workloads {

v1::ActivationKind GatedActivation(const ModelSpec& spec) {
  return spec.activation == FfnActivation::kGeGlu ? v1::ACTIVATION_GEGLU
                                                  : v1::ACTIVATION_SWIGLU;
}

std::string MlpBlock(BuildContext& ctx, const Shard& s, const std::string& block,
                     const std::string& h, int64_t intermediate) {
  const int64_t f =
      DivideOrThrow(intermediate, ctx.plan.tp, block + " width", "tensor_parallel");
  const int64_t hidden = ctx.spec.hidden;
  std::string gate = Linear(ctx, s, block + ".gate_proj", h, hidden, f);
  std::string up = Linear(ctx, s, block + ".up_proj", h, hidden, f);
  std::string act = Activation(ctx, s, block + ".act", ShapeOf(ctx, gate));
  ctx.writer.Op(s.Name(block + ".act"), {gate, up}, {act}, s.LayerIndex(), s.device)
      .mutable_activation()
      ->set_kind(GatedActivation(ctx.spec));
  return Linear(ctx, s, block + ".down_proj", act, f, hidden);
}

}  // namespace dsasim::workloads
