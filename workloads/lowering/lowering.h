// File: workloads/lowering/lowering.h
//
// Maps one graph operator onto the chip: dispatches on the operator kind to
// the matmul, attention, vector or data-movement lowering.
//
// Example:
//   LoweredOp lowered = LowerOperator(graph.ops(i), ctx);
//   chip.Run(lowered.program, ...);
#pragma once

#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

// Collectives and send/recv among a single device lower to an empty program;
// across devices they need the multi-chip system (MappingError until then).
LoweredOp LowerOperator(const v1::Operator& op, const LoweringContext& ctx);

}  // namespace dsasim::workloads
