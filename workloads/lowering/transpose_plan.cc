#include "workloads/lowering/transpose_plan.h"

namespace dsasim::workloads {

TransposePlan PlanTranspose(bool col_major, const LoweringContext& ctx) {
  TransposePlan plan;
  if (!col_major) return plan;
  if (ctx.chip.tensor.transposed_operands) {
    plan.engine = "native";
  } else if (ctx.options.dma_transforms &&
             ctx.chip.dma.capabilities.count(v1::DMA_TRANSPOSE) > 0) {
    plan.engine = "dma";
    plan.dma = true;
  } else {
    plan.engine = "vector";
  }
  return plan;
}

double TransposePlan::VectorCycles(int64_t elements, const EngineCosts& costs) const {
  return engine == "vector" ? costs.VectorCycles({"transpose"}, elements) : 0;
}

}  // namespace dsasim::workloads
