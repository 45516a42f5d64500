// File: workloads/lowering/dequant_plan.h
//
// Which engine decodes a quantized weight tile before the tensor engine
// uses it: the unpack of packed codes (int4, fp4 — or any type the tensor
// engine lacks) and the multiply by its group scales (int8/int4/fp4 weights
// with a Quantization.scale_tensor).
//
// Example:
//   DequantPlan plan = PlanDequant(v1::DTYPE_INT4, /*has_scales=*/true, ctx);
//   b_tile.transforms = plan.dma;          // DMA_INT4_UNPACK + DMA_SCALE
//   double v = plan.VectorCycles(tk * tn, ctx.costs);   // 0 on the DMA path
//
// The rule (one descriptor may need both transforms):
//   - unpack runs on the DMA when the weight needs it, transforms are on and
//     the DMA has the type's unpack capability; otherwise on the vector
//     engine;
//   - scaling runs on the DMA when the weight has scales, transforms are on,
//     the DMA has DMA_SCALE and the codes reach the scaler decoded — i.e.
//     unpack is not needed or is on the DMA too. Scales multiply decoded
//     values; a DMA that cannot decode a type cannot scale it, and the
//     vector engine's dequant instruction (convert and multiply, the
//     "dequant" cost) then does both;
//   - the vector engine runs "dequant" per element when it unpacks, "mul"
//     per element when it only scales, nothing when the DMA does all.
// The scale tile is loaded either way (the DMA needs the scales as much as
// the vector engine does), so the bytes moved do not depend on the plan.
#pragma once

#include <cstdint>
#include <string_view>

#include "arch_models/dma/dma_transforms.h"
#include "dsasim/v1/graph.pb.h"
#include "workloads/lowering/engine_costs.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

struct DequantPlan {
  // "none", "dma" or "vector" for each part of the work.
  std::string_view unpack = "none";
  std::string_view scale = "none";
  // The transforms the weight tile's descriptor carries.
  arch::DmaTransforms dma;
  // The vector instruction applied per weight element, empty for none.
  std::string_view vector_op;

  // Vector-engine cycles for a tile of `elements` weight elements.
  double VectorCycles(int64_t elements, const EngineCosts& costs) const;
  // "none", "dma", "vector" or "dma+vector": who dequantizes, for the record.
  std::string_view Summary() const;
};

DequantPlan PlanDequant(v1::DType weight, bool has_scales, const LoweringContext& ctx);

}  // namespace dsasim::workloads
