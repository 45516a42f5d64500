// File: workloads/lowering/vector_lowering.h
//
// Lowers element-wise and row-wise operators (norms, activations, residual
// adds, RoPE, softmax, MoE routing/combine) to per-core pipelines: rows are
// split across cores in chunks that fit the scratchpad; each chunk is
// loaded, processed by the vector engine with the op's recipe of vector
// instructions, and stored. MoE combine gathers each token's top-k expert
// rows, which lie scattered in expert order (gather.h).
//
// Example:
//   LoweredOp op = LowerVectorOp(rmsnorm_op, ctx);
//   // op.choices_json: {"engine":"vector","rows":8,"cols":4096,...}
#pragma once

#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

LoweredOp LowerVectorOp(const v1::Operator& op, const LoweringContext& ctx);

}  // namespace dsasim::workloads
