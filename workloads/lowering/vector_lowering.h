// File: workloads/lowering/vector_lowering.h
//
// Lowers element-wise and row-wise operators (norms, activations, residual
// adds, RoPE, softmax, MoE routing/combine) and pure data movement
// (embedding gather, KV-cache append/read, MoE dispatch) to per-core
// pipelines: rows are split across cores in chunks that fit the scratchpad;
// each chunk is loaded, processed by the vector engine with the op's recipe
// of vector instructions, and stored.
#pragma once

#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

LoweredOp LowerVectorOp(const v1::Operator& op, const LoweringContext& ctx);
LoweredOp LowerDataMovement(const v1::Operator& op, const LoweringContext& ctx);

}  // namespace dsasim::workloads
