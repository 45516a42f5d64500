#include "workloads/lowering/dequant_plan.h"

namespace dsasim::workloads {
namespace {

bool DmaHas(v1::DmaCapability c, const LoweringContext& ctx) {
  return ctx.options.dma_transforms && ctx.chip.dma.capabilities.count(c) > 0;
}

}  // namespace

DequantPlan PlanDequant(v1::DType weight, bool has_scales, const LoweringContext& ctx) {
  DequantPlan plan;
  const bool unpack = !ctx.costs.TensorNative(weight);
  const v1::DmaCapability unpack_cap = weight == v1::DTYPE_INT4 ? v1::DMA_INT4_UNPACK
                                       : weight == v1::DTYPE_FP4_E2M1
                                           ? v1::DMA_FP4_UNPACK
                                           : v1::DMA_CAPABILITY_UNSPECIFIED;
  bool decoded_on_dma = !unpack;
  if (unpack) {
    if (unpack_cap != v1::DMA_CAPABILITY_UNSPECIFIED && DmaHas(unpack_cap, ctx)) {
      plan.unpack = "dma";
      plan.dma.Add(unpack_cap);
      decoded_on_dma = true;
    } else {
      plan.unpack = "vector";
      plan.vector_op = "dequant";
    }
  }
  if (has_scales) {
    if (decoded_on_dma && DmaHas(v1::DMA_SCALE, ctx)) {
      plan.scale = "dma";
      plan.dma.Add(v1::DMA_SCALE);
    } else {
      plan.scale = "vector";
      // Folded into the vector engine's dequant when it also unpacks.
      if (plan.vector_op.empty()) plan.vector_op = "mul";
    }
  }
  return plan;
}

double DequantPlan::VectorCycles(int64_t elements, const EngineCosts& costs) const {
  if (vector_op.empty()) return 0;
  return vector_op == "dequant" ? costs.VectorCycles({"dequant"}, elements)
                                : costs.VectorCycles({"mul"}, elements);
}

std::string_view DequantPlan::Summary() const {
  const bool dma_part = unpack == "dma" || scale == "dma";
  const bool vector_part = unpack == "vector" || scale == "vector";
  if (dma_part && vector_part) return "dma+vector";
  if (dma_part) return "dma";
  if (vector_part) return "vector";
  return "none";
}

}  // namespace dsasim::workloads
