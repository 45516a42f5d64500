// File: workloads/lowering/data_movement_lowering.h
//
// Lowers operators that only move data — embedding lookup, MoE dispatch,
// KV-cache append and read — to DMA-only pipelines: rows are split over the
// cores in chunks that fit the scratchpad, each chunk loaded and stored.
// Rows at scattered addresses (table rows picked by token id, token rows
// picked by routing, the pages of a paged KV cache) move as gather.h says:
// one gather descriptor with DMA_GATHER_SCATTER, else a descriptor per row
// with the scalar engine computing addresses.
//
// Example:
//   LoweredOp op = LowerDataMovement(embedding_op, ctx);
//   // op.choices_json: {"engine":"dma","rows":8,...,"gather":"dma",...}
//
// Where gathered rows come from when the graph does not say (token ids,
// routing order): ScatteredIndex under the lowering seed. A paged cache's
// pages: the PageTable shared with attention (page_table.h). A paged append
// writes a sequence's new tokens at the end of its capacity, the tokens of
// the batch split evenly over its sequences (the op does not carry each
// sequence's length; the page pattern, not the exact slot, is what the
// timing depends on).
#pragma once

#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

LoweredOp LowerDataMovement(const v1::Operator& op, const LoweringContext& ctx);

}  // namespace dsasim::workloads
