// File: workloads/lowering/matmul_tiling.h
//
// The tile search of matmul_lowering.h: which (tm, tn, tk), split-K and
// pipeline depth a matmul runs with. A bounded, deterministic search over
// power-of-two tiles keeps the candidate with the lowest estimate, the
// larger of the compute-pipeline time and the memory-traffic time, where
// traffic counts the panel re-reads each tiling implies (less what the
// shared SRAM serves) and the cost of combining split-K partials
// (partial_sums.h). Only tilings whose buffers fit the scratchpad are
// legal.
//
// Example:
//   Tiling t = ChooseTiling(shape, operands, ctx);   // MappingError if none fits
//   double cycles = TileCycles(t.tm, t.tn, t.tk, shape, ctx);
//
// The estimate is closed-form and does not see the NoC or bank conflicts;
// the chosen program is then simulated in full, so an estimate error costs
// a worse choice, never a wrong time.
#pragma once

#include <cstdint>

#include "workloads/lowering/lowering_context.h"
#include "workloads/lowering/matmul_lowering.h"

namespace dsasim::workloads {

struct Tiling {
  int64_t tm = 0, tn = 0, tk = 0;
  int split = 1;
  // Operand buffers per pipeline: loads in flight while the engine works.
  int stages = 2;
  double estimate_s = 0;
};

// The tiling with the lowest estimate; MappingError when no tile fits.
Tiling ChooseTiling(const MatMulShape& s, const MatMulOperands& o,
                    const LoweringContext& ctx);

// Tensor-engine cycles of one tile step. The operands stream from the
// scratchpad into the engine, so a step is never shorter than reading them
// at the scratchpad's read bandwidth.
double TileCycles(int64_t tm, int64_t tn, int64_t tk, const MatMulShape& s,
                  const LoweringContext& ctx);

// Reserves the tiling's buffers in the core's scratchpad, as the kernel
// would; the allocator is the authority on fit (bank rounding included) and
// names the buffer that does not fit. Returns the bytes used.
int64_t ReserveTileBuffers(const Tiling& t, const MatMulShape& s,
                           const LoweringContext& ctx);

}  // namespace dsasim::workloads
