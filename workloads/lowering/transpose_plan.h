// File: workloads/lowering/transpose_plan.h
//
// Who turns a column-major (LAYOUT_COL_MAJOR) weight tile into the layout
// the tensor engine reads. A tied LM head reads the embedding table this
// way, and traces may store any weight so.
//   "native"  the tensor engine reads either layout
//             (TensorEngineSpec.transposed_operands: GPU presets);
//   "dma"     the tile's descriptor carries DMA_TRANSPOSE (transforms on
//             and the DMA has it): the capability's rate and setup;
//   "vector"  the vector engine runs "transpose" over the tile's elements
//             after the load, as a phase before the tensor engine's;
//   "none"    the weight is row-major.
// The tile is loaded as it lies either way — tn runs of tk elements, one
// per output column — so the bytes and their locality do not depend on the
// plan. Group scales of a quantized weight are read as [k / group, n]
// whatever the weight's layout (the builders write them so; a scale
// tensor's own layout field is not consulted).
//
// Example:
//   TransposePlan plan = PlanTranspose(/*col_major=*/true, ctx);
//   if (plan.dma) b_tile.With(v1::DMA_TRANSPOSE);
//   double v = plan.VectorCycles(tk * tn, ctx.costs);   // 0 unless "vector"
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/lowering/engine_costs.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

struct TransposePlan {
  std::string_view engine = "none";
  bool dma = false;

  double VectorCycles(int64_t elements, const EngineCosts& costs) const;
};

TransposePlan PlanTranspose(bool col_major, const LoweringContext& ctx);

}  // namespace dsasim::workloads
