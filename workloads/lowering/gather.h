// File: workloads/lowering/gather.h
//
// Moving pieces that lie at scattered addresses (paged-KV pages, embedding
// rows, MoE token rows) by DMA. With DMA_GATHER_SCATTER (and transforms on)
// one descriptor walks the whole index list: one setup, the bytes at the
// capability's rate. Without it every piece is its own descriptor — each
// pays the DMA setup, and at most max_outstanding are in flight per engine
// — and the scalar engine computes every piece's address before the step's
// loads issue (Step::address_cycles, the "address" op of its cost table).
// Either way each piece is a separate memory access, so the HBM model
// charges the locality of the pieces, not of one long stream.
//
// Example:
//   ScatteredPieces k{arch::MemoryKind::kHbm, /*write=*/false,
//                     /*run=*/256, /*stride=*/2048, {{page_a, 4096}, {page_b, 4096}}};
//   std::vector<arch::Transfer> loads;
//   int64_t pieces = AddScattered(core, k, ctx, loads);   // 1 or 2 transfers
//   core.AddStep(loads, compute, stores, AddressCycles(pieces, ctx));
//
// Contract: the transfers' bytes sum to the pieces' bytes whichever way
// they are emitted (bytes are conserved); AddScattered returns the number
// of pieces whose addresses the scalar engine must compute (0 when the DMA
// gathers).
#pragma once

#include <cstdint>
#include <vector>

#include "arch_models/chip/program.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

struct ScatteredPieces {
  arch::MemoryKind memory = arch::MemoryKind::kHbm;
  bool write = false;
  // Layout inside each piece: runs of `run` bytes, `stride` apart (equal,
  // or stride 0, for contiguous pieces).
  int64_t run = 0;
  int64_t stride = 0;
  std::vector<arch::GatherSegment> pieces;
};

// Whether the lowering lets the DMA walk index lists.
bool DmaGathers(const LoweringContext& ctx);

// Appends to `out` the transfers that move `p` on `core`; returns the
// pieces whose addresses the scalar engine computes.
int64_t AddScattered(arch::CoreProgram& core, const ScatteredPieces& p,
                     const LoweringContext& ctx, std::vector<arch::Transfer>& out);

// Scalar-engine cycles to compute `pieces` descriptor addresses (0 for 0).
double AddressCycles(int64_t pieces, const LoweringContext& ctx);

// "dma" when the DMA gathers, "scalar" when the scalar engine generates the
// per-piece descriptors: the engine recorded in an op's lowering JSON.
const char* GatherEngineName(const LoweringContext& ctx);

// A deterministic, well-spread index in [0, n) for item `i` under `seed`
// (SplitMix64): where row i of a gather comes from when the graph does not
// say (token ids, routing order). Same inputs, same index.
int64_t ScatteredIndex(uint64_t seed, int64_t i, int64_t n);

}  // namespace dsasim::workloads
