// File: workloads/lowering/attention_lowering.h
//
// Lowers scaled dot-product attention (MHA/GQA/MQA, and MLA in its absorbed
// or decompressed form) for prefill, decode, verify and mixed batches.
//
// Fused (flash-style): a work unit is (sequence, KV head, query block); the
// query heads that share a KV head are packed into the unit's rows. The unit
// walks the visible KV blocks (causal and sliding-window limits applied);
// each step loads a K and a V block, runs QKᵀ on the tensor engine, the
// online softmax on the vector engine, and PV on the tensor engine; scores
// never leave the scratchpad. When units are fewer than cores, the KV range
// is split across cores (flash-decoding) and the partial outputs are
// combined with reduce-add writes.
//
// Unfused: QKᵀ writes the score matrix to memory, a softmax pass reads and
// rewrites it, and PV reads it again — the traffic the fused form avoids.
#pragma once

#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

LoweredOp LowerAttention(const v1::Operator& op, const LoweringContext& ctx);

}  // namespace dsasim::workloads
