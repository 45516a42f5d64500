// File: workloads/lowering/partial_sums.h
//
// Combining the fp32 partial sums of a split reduction — split-K matmul
// tiles, split-KV decode attention — into the output. Three ways, chosen by
// what the chip has:
//   kDma         the DMA has DMA_REDUCE_ADD (and transforms are on): each
//                partial is stored as a reduce-add descriptor into the
//                output; the chip charges the capability's rate and setup
//                and the read of the old values (chip.cc: the read leaves
//                the memory array, so it is memory traffic).
//   kSramAtomics the shared SRAM adds in place (SharedSramSpec.atomic_add,
//                a GPU L2's `red` atomics): the partial is a plain store.
//                Both in-place methods add into the output in the output's
//                dtype: the adder widens the old value, adds the fp32
//                partial and rounds back (fp32 math over output-dtype
//                storage, as in CUTLASS's serial split-K), so a partial
//                moves elements × the output's bytes, at the output's
//                addresses. Partials land in any order, so all S are
//                reduce-adds into an output that starts zeroed; the zeroing
//                (one write of the block, 1/S of the partials' bytes) is not
//                charged. Rounding once per partial costs accuracy, not
//                time, and a timing simulator carries no values.
//                Only the first partial counts as the op's logical output
//                write (Transfer::extra_pass on the others), as the vector
//                pass's single final store does.
//   kVectorPass  neither: partials are stored to a workspace, and after a
//                barrier (OpProgram::epilogue) a combine pass loads them
//                back, adds them on the vector engine — `parts` "add"
//                instructions over the block, the first into a zeroed
//                accumulator, the conversion to the output type folded into
//                the last — and stores the block in the output dtype.
//
// Example:
//   PartialSums sums(c_placement, /*workspace_bytes=*/split * m * n * 4, ctx);
//   int64_t block = sums.AddBlock(split, tm * tn, output_store);
//   stores.push_back(sums.PartialStore(block, part));
//   ...
//   sums.EmitCombine(program);   // adds the epilogue for kVectorPass only
//
// What is approximated: the split-KV combine of attention also rescales each
// partial by its log-sum-exp; that per-row work (rows × parts scalars) is
// left out on every path alike, so the comparison between paths is fair.
#pragma once

#include <cstdint>
#include <vector>

#include "arch_models/chip/program.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

enum class ReduceMethod { kDma, kSramAtomics, kVectorPass };

// How partial sums are combined on this chip under the lowering options.
ReduceMethod PlanReduce(const LoweringContext& ctx);
// "dma", "shared_sram" or "vector", for the op's lowering JSON.
const char* ReduceEngineName(ReduceMethod method);

class PartialSums {
 public:
  // `workspace_bytes`: an upper bound of the partials' bytes (the vector
  // pass stores them there; the workspace goes where the output lives when
  // it fits).
  PartialSums(const Placement& output, int64_t workspace_bytes,
              const LoweringContext& ctx);

  ReduceMethod method() const { return method_; }

  // An output block split into `parts` partials of `elements` fp32 values;
  // `output_store` writes the block into the output in its dtype. Returns
  // the block's id.
  int64_t AddBlock(int parts, int64_t elements, const arch::Transfer& output_store);
  // The store of partial `part` of `block`.
  arch::Transfer PartialStore(int64_t block, int part) const;
  // For kVectorPass: the combine steps in `program`'s epilogue, blocks
  // round-robin over the cores. Nothing for the other methods.
  void EmitCombine(arch::OpProgram& program) const;

 private:
  struct Block {
    int parts;
    int64_t elements;
    uint64_t workspace_offset;
    arch::Transfer output_store;
  };
  const LoweringContext& ctx_;
  ReduceMethod method_;
  Placement workspace_;
  uint64_t workspace_used_ = 0;
  std::vector<Block> blocks_;
};

}  // namespace dsasim::workloads
