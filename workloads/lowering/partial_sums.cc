#include "workloads/lowering/partial_sums.h"

namespace dsasim::workloads {

using arch::Transfer;

ReduceMethod PlanReduce(const LoweringContext& ctx) {
  if (ctx.options.dma_transforms &&
      ctx.chip.dma.capabilities.count(v1::DMA_REDUCE_ADD) > 0) {
    return ReduceMethod::kDma;
  }
  if (ctx.chip.shared_sram.atomic_add && ctx.chip.shared_sram.bandwidth > 0) {
    return ReduceMethod::kSramAtomics;
  }
  return ReduceMethod::kVectorPass;
}

const char* ReduceEngineName(ReduceMethod method) {
  switch (method) {
    case ReduceMethod::kDma:
      return "dma";
    case ReduceMethod::kSramAtomics:
      return "shared_sram";
    case ReduceMethod::kVectorPass:
      return "vector";
  }
  return "vector";
}

PartialSums::PartialSums(const Placement& output, int64_t workspace_bytes,
                         const LoweringContext& ctx)
    : ctx_(ctx),
      method_(PlanReduce(ctx)),
      workspace_(ctx.memory.Workspace(output.memory, workspace_bytes)) {}

int64_t PartialSums::AddBlock(int parts, int64_t elements, const Transfer& output_store) {
  Block b{parts, elements, workspace_used_, output_store};
  if (method_ == ReduceMethod::kVectorPass) {
    workspace_used_ += static_cast<uint64_t>(parts) * static_cast<uint64_t>(elements) * 4;
  }
  blocks_.push_back(b);
  return static_cast<int64_t>(blocks_.size()) - 1;
}

Transfer PartialSums::PartialStore(int64_t block, int part) const {
  const Block& b = blocks_.at(static_cast<size_t>(block));
  switch (method_) {
    case ReduceMethod::kDma: {
      Transfer t = b.output_store;
      t.extra_pass = part > 0;
      return t.With(v1::DMA_REDUCE_ADD);
    }
    case ReduceMethod::kSramAtomics: {
      Transfer t = b.output_store;
      t.extra_pass = part > 0;
      return t;
    }
    case ReduceMethod::kVectorPass:
      break;
  }
  const int64_t bytes = b.elements * 4;
  Transfer t =
      Transfer::Flat(workspace_.memory, true,
                     workspace_.address + b.workspace_offset +
                         static_cast<uint64_t>(part) * static_cast<uint64_t>(bytes),
                     bytes);
  t.extra_pass = true;
  return t;
}

void PartialSums::EmitCombine(arch::OpProgram& program) const {
  if (method_ != ReduceMethod::kVectorPass || blocks_.empty()) return;
  const int cores = ctx_.chip.cores;
  for (int c = 0; c < cores; ++c) program.AddEpilogueCore(c, ctx_.buffers());
  int next = 0;
  for (const Block& b : blocks_) {
    const int64_t bytes = b.elements * 4;
    std::vector<Transfer> loads;
    for (int part = 0; part < b.parts; ++part) {
      loads.push_back(
          Transfer::Flat(workspace_.memory, false,
                         workspace_.address + b.workspace_offset +
                             static_cast<uint64_t>(part) * static_cast<uint64_t>(bytes),
                         bytes));
      loads.back().extra_pass = true;
    }
    const double cycles = b.parts * ctx_.costs.VectorCycles({"add"}, b.elements);
    program.epilogue[static_cast<size_t>(next)].AddStep(
        loads,
        {{arch::EngineKind::kVector, cycles,
          static_cast<double>(b.parts - 1) * static_cast<double>(b.elements)}},
        {b.output_store});
    next = (next + 1) % cores;
  }
}

}  // namespace dsasim::workloads
