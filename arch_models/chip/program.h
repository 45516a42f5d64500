// File: arch_models/chip/program.h
//
// What the lowering hands the chip for one operator: per core, a sequence of
// steps. A step loads its operands by DMA, runs a chain of compute phases on
// the core's engines, and stores its results by DMA. The chip runs a core's
// steps as a software pipeline with `buffers` operand buffers: step i's loads
// may start once step i−buffers has finished computing (double buffering is
// buffers = 2), so transfers overlap compute exactly as far as the scratchpad
// allows.
//
// Example (a two-step matmul tile on core 0):
//   OpProgram op;
//   CoreProgram& core = op.AddCore(0, /*buffers=*/2);
//   core.AddStep({Transfer::Flat(MemoryKind::kHbm, false, a_addr, a_bytes)},
//                {{EngineKind::kTensor, cycles, flops}}, {});
//   // A gather of two pages of 16 runs of 256 B, 2 KiB apart:
//   uint32_t first = core.AddSegments({{page_a, 4096}, {page_b, 4096}});
//   Transfer k = Transfer::Gather(MemoryKind::kHbm, false, first, 2, 8192,
//                                 /*run=*/256, /*stride=*/2048);
//
// Transfers carry their access pattern (contiguous run length and stride) so
// the memory model can charge row-buffer locality, and the DMA transforms
// they ask for (transpose, int4 unpack, scale, reduce-add, gather).
//
// Gathers. A gather (or, when written, a scatter) descriptor moves pieces at
// scattered addresses listed in its core's `segments` (an index list the DMA
// walks): each piece has the transfer's layout (runs of contiguous_bytes,
// stride_bytes apart) and is a separate access to the memory, so the HBM
// model charges each piece's own locality — page-sized runs, not one long
// stream. Such a transfer carries DMA_GATHER_SCATTER. Without that
// capability the lowering emits one plain descriptor per piece and puts the
// address arithmetic on the scalar engine (Step::address_cycles).
//
// Repeated steps. A matmul tile's K loop is hundreds of steps that differ
// only in where their operands sit, and a large GEMM has millions of them.
// AddStep stores such a run once, with a repeat count and the address
// increment of each transfer; the chip expands it one repetition at a time as
// it runs it. Every repetition is exactly the step the lowering asked for, so
// this changes memory and the digest's cost, not what is simulated.
//
// Epilogue. Per-core steps that start only once every core has finished the
// main program: a grid-wide barrier, as a second kernel (the combine pass
// of split-K partials) would have after the first.
#pragma once

#include <cstdint>
#include <vector>

#include "arch_models/dma/dma_transforms.h"

namespace dsasim::arch {

enum class EngineKind : uint8_t { kTensor = 0, kVector = 1, kScalar = 2 };
inline constexpr int kNumEngineKinds = 3;

enum class MemoryKind : uint8_t {
  kHbm,
  // On-chip SRAM shared by all cores (GPU L2, global SRAM).
  kSharedSram,
};

// One scattered piece of a gather: `bytes` from `address`.
struct GatherSegment {
  uint64_t address = 0;
  int64_t bytes = 0;
};

struct Transfer {
  MemoryKind memory = MemoryKind::kHbm;
  bool write = false;
  uint64_t address = 0;
  int64_t bytes = 0;
  // Length of each contiguous run; equals `bytes` for a flat copy.
  int64_t contiguous_bytes = 0;
  // Distance between the starts of consecutive runs (0 when contiguous).
  int64_t stride_bytes = 0;
  DmaTransforms transforms;
  // A gather: pieces [first_segment, first_segment + num_segments) of the
  // core's segments, whose bytes sum to `bytes`; 0 pieces for a plain
  // descriptor at `address`.
  uint32_t first_segment = 0;
  uint32_t num_segments = 0;
  // Bytes beyond the op's logical ones: a later pass of a multi-pass
  // lowering re-reading its input, or split-reduction partials going to and
  // from their workspace. A kernel's memory efficiency is measured per
  // logical byte — elements/s over inputs read once and outputs written
  // once — so these do not count against OpProgram::memory_efficiency.
  bool extra_pass = false;
  // One element of a gather (a row or page at an index-list address): the
  // memory rates it as a lone access, never as the next chunk of a stream.
  // Set on every piece, whether one descriptor carries the list or each
  // piece is its own descriptor.
  bool scattered = false;
  // In a repeated step (Step::repeat), how far the address moves from one
  // repetition to the next (modulo 2^64, so it may move down); 0 otherwise.
  // Set by CoreProgram::AddStep, never by a lowering.
  uint64_t address_step = 0;

  static Transfer Flat(MemoryKind memory, bool write, uint64_t address, int64_t bytes) {
    Transfer t;
    t.memory = memory;
    t.write = write;
    t.address = address;
    t.bytes = bytes;
    t.contiguous_bytes = bytes;
    return t;
  }
  // `rows` runs of `row_bytes`, `stride` bytes apart.
  static Transfer Strided(MemoryKind memory, bool write, uint64_t address, int64_t rows,
                          int64_t row_bytes, int64_t stride) {
    if (rows <= 1 || stride == row_bytes) {
      return Flat(memory, write, address, rows * row_bytes);
    }
    Transfer t = Flat(memory, write, address, rows * row_bytes);
    t.contiguous_bytes = row_bytes;
    t.stride_bytes = stride;
    return t;
  }
  // A gather (write: a scatter) of `pieces` segments of the core's list
  // from `first`, `bytes` in all, each laid out as runs of `run` bytes
  // `stride` apart (run = stride or 0 stride: contiguous pieces). Carries
  // DMA_GATHER_SCATTER.
  static Transfer Gather(MemoryKind memory, bool write, uint32_t first, uint32_t pieces,
                         int64_t bytes, int64_t run, int64_t stride) {
    Transfer t = Flat(memory, write, 0, bytes);
    t.contiguous_bytes = run;
    t.stride_bytes = stride == run ? 0 : stride;
    t.first_segment = first;
    t.num_segments = pieces;
    t.transforms.Add(v1::DMA_GATHER_SCATTER);
    t.scattered = true;
    return t;
  }
  Transfer& With(v1::DmaCapability transform) {
    transforms.Add(transform);
    return *this;
  }
};

struct ComputePhase {
  EngineKind engine = EngineKind::kTensor;
  // Busy cycles of the engine (fractional: throughput-derived costs).
  double cycles = 0;
  double flops = 0;
};

struct Step {
  uint32_t first_load = 0, num_loads = 0;
  uint32_t first_phase = 0, num_phases = 0;
  uint32_t first_store = 0, num_stores = 0;
  // Scalar-engine cycles that compute this step's descriptor addresses (a
  // gather the DMA cannot walk itself): its loads are issued only when the
  // scalar engine has done them, in its in-order queue.
  double address_cycles = 0;
  // The step stands for `repeat` consecutive steps that differ only in
  // their transfers' addresses, repetition r's at address + r·address_step.
  uint32_t repeat = 1;
};

struct CoreProgram {
  int core = 0;
  int buffers = 2;
  std::vector<Step> steps;
  std::vector<Transfer> transfers;
  std::vector<ComputePhase> phases;
  std::vector<GatherSegment> segments;

  // Appends a step. A step equal to the previous one except for its
  // transfers' addresses, each moved by the same amount as between the
  // previous one's repetitions, extends that step's `repeat` instead of
  // taking memory of its own (see "Repeated steps" above).
  void AddStep(const std::vector<Transfer>& loads,
               const std::vector<ComputePhase>& compute,
               const std::vector<Transfer>& stores, double address_cycles = 0);
  // Steps the core runs, repetitions counted.
  int64_t StepCount() const;
  // Calls f(transfer) for every descriptor the core issues, in step order
  // (loads, then stores), each repetition of a repeated step with its own
  // address: what the chip runs.
  template <typename F>
  void ForEachTransfer(F&& f) const {
    for (const Step& s : steps) {
      for (uint32_t rep = 0; rep < s.repeat; ++rep) {
        for (uint32_t i : {s.first_load, s.first_store}) {
          const uint32_t n = i == s.first_load ? s.num_loads : s.num_stores;
          for (uint32_t j = i; j < i + n; ++j) {
            Transfer t = transfers[j];
            t.address += uint64_t{rep} * t.address_step;
            f(t);
          }
        }
      }
    }
  }
  // Appends gather pieces; returns the index of the first.
  uint32_t AddSegments(const std::vector<GatherSegment>& pieces);
};

struct OpProgram {
  std::vector<CoreProgram> cores;
  // The largest fraction of peak HBM bandwidth the op's kernel sustains
  // (ChipConfig::MemoryEfficiency of its kind): all its HBM and shared-SRAM
  // traffic together is served no faster than this × peak. 1: no cap.
  double memory_efficiency = 1.0;
  // Runs after every core of `cores` has finished (see the file comment);
  // empty for most operators.
  std::vector<CoreProgram> epilogue;

  CoreProgram& AddCore(int core, int buffers) {
    cores.push_back(CoreProgram{core, buffers, {}, {}, {}, {}});
    return cores.back();
  }
  CoreProgram& AddEpilogueCore(int core, int buffers) {
    epilogue.push_back(CoreProgram{core, buffers, {}, {}, {}, {}});
    return epilogue.back();
  }
  // A digest of everything that determines the program's timing on an idle
  // chip. HBM addresses enter modulo `address_period` (the interleave
  // stripe), so two layers whose tensors sit at stripe-aligned bases hash
  // alike; shared-SRAM addresses do not enter (its timing ignores them).
  uint64_t Digest(uint64_t address_period) const;
};

}  // namespace dsasim::arch
