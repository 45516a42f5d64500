// File: workloads/lowering/matmul_lowering.h
//
// Lowers a (possibly grouped, possibly quantized) matmul to per-core tile
// pipelines. A bounded, deterministic search over tile shapes (tm, tn, tk)
// and split-K picks the candidate with the lowest cost estimate
// (matmul_tiling.h); only shapes whose buffers fit the scratchpad are
// legal; if none fits, MappingError.
// Quantized weights are decoded by the DMA or the vector engine as
// dequant_plan.h decides; split-K partials are combined as partial_sums.h
// decides (DMA reduce-add, shared-SRAM atomics, or a vector combine pass).
//
// Example:
//   LoweredOp op = LowerMatMul(graph_op, ctx);
//   // op.choices_json: {"tile":[128,256,64],"split_k":1,"buffers":2,...}
#pragma once

#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

LoweredOp LowerMatMul(const v1::Operator& op, const LoweringContext& ctx);

// A plain matmul without a graph (benchmarks, tests): A [m,k] activation in
// `a`, B [k,n] weight in HBM at `b_address`, C [m,n] to `c`.
struct MatMulShape {
  int64_t m = 0, n = 0, k = 0;
  v1::DType a_dtype = v1::DTYPE_BF16;
  v1::DType b_dtype = v1::DTYPE_BF16;
  v1::DType c_dtype = v1::DTYPE_BF16;
  int64_t group_size = 0;  // weight-scale group along k (quantized B)
  v1::DType scale_dtype = v1::DTYPE_FP16;
  // B stored [n,k] (LAYOUT_COL_MAJOR): transposed as transpose_plan.h says.
  bool b_col_major = false;
};
struct MatMulOperands {
  Placement a, b, c, scales;
};
LoweredOp LowerMatMulShape(const MatMulShape& shape, const MatMulOperands& operands,
                           const LoweringContext& ctx);

}  // namespace dsasim::workloads
