#include "workloads/lowering/gather.h"

namespace dsasim::workloads {

bool DmaGathers(const LoweringContext& ctx) {
  return ctx.options.dma_transforms &&
         ctx.chip.dma.capabilities.count(v1::DMA_GATHER_SCATTER) > 0;
}

int64_t AddScattered(arch::CoreProgram& core, const ScatteredPieces& p,
                     const LoweringContext& ctx, std::vector<arch::Transfer>& out) {
  if (p.pieces.empty()) return 0;
  const bool strided = p.stride > 0 && p.stride != p.run;
  auto piece_transfer = [&](const arch::GatherSegment& g) {
    arch::Transfer t = arch::Transfer::Flat(p.memory, p.write, g.address, g.bytes);
    t.scattered = true;
    if (strided && g.bytes > p.run) {
      t.contiguous_bytes = p.run;
      t.stride_bytes = p.stride;
    }
    return t;
  };
  // Without the capability the DMA cannot read the index list: every piece
  // gets its own descriptor, built by the scalar engine.
  if (!DmaGathers(ctx)) {
    for (const arch::GatherSegment& g : p.pieces) out.push_back(piece_transfer(g));
    return static_cast<int64_t>(p.pieces.size());
  }
  int64_t bytes = 0;
  for (const arch::GatherSegment& g : p.pieces) bytes += g.bytes;
  const uint32_t first = core.AddSegments(p.pieces);
  out.push_back(arch::Transfer::Gather(p.memory, p.write, first,
                                       static_cast<uint32_t>(p.pieces.size()), bytes,
                                       strided ? p.run : bytes, strided ? p.stride : 0));
  return 0;
}

double AddressCycles(int64_t pieces, const LoweringContext& ctx) {
  return pieces > 0 ? ctx.costs.ScalarCycles({"address"}, pieces) : 0;
}

const char* GatherEngineName(const LoweringContext& ctx) {
  return DmaGathers(ctx) ? "dma" : "scalar";
}

int64_t ScatteredIndex(uint64_t seed, int64_t i, int64_t n) {
  if (n <= 1) return 0;
  uint64_t z = seed * 0x9e3779b97f4a7c15ull + static_cast<uint64_t>(i) + 1;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return static_cast<int64_t>(z % static_cast<uint64_t>(n));
}

}  // namespace dsasim::workloads
