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
//   core.AddStep({Transfer::Load(MemoryKind::kHbm, a_addr, a_bytes)},
//                {{EngineKind::kTensor, cycles, flops}}, {});
//
// Transfers carry their access pattern (contiguous run length and stride) so
// the memory model can charge row-buffer locality, and an optional DMA
// transform (transpose, int4 unpack, ...).
#pragma once

#include <cstdint>
#include <vector>

#include "dsasim/v1/system.pb.h"

namespace dsasim::arch {

enum class EngineKind : uint8_t { kTensor = 0, kVector = 1, kScalar = 2 };
inline constexpr int kNumEngineKinds = 3;

enum class MemoryKind : uint8_t {
  kHbm,
  // On-chip SRAM shared by all cores (GPU L2, global SRAM).
  kSharedSram,
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
  v1::DmaCapability transform = v1::DMA_CAPABILITY_UNSPECIFIED;
  // The op already read these bytes once (a later pass of a multi-pass
  // lowering). A kernel's memory efficiency is measured per logical byte —
  // elements/s over inputs read once and outputs written once — so re-reads
  // do not count against OpProgram::memory_efficiency.
  bool reread = false;

  static Transfer Flat(MemoryKind memory, bool write, uint64_t address, int64_t bytes) {
    return {memory, write, address, bytes, bytes, 0, v1::DMA_CAPABILITY_UNSPECIFIED,
            false};
  }
  // `rows` runs of `row_bytes`, `stride` bytes apart.
  static Transfer Strided(MemoryKind memory, bool write, uint64_t address, int64_t rows,
                          int64_t row_bytes, int64_t stride) {
    if (rows <= 1 || stride == row_bytes) {
      return Flat(memory, write, address, rows * row_bytes);
    }
    return {memory,
            write,
            address,
            rows * row_bytes,
            row_bytes,
            stride,
            v1::DMA_CAPABILITY_UNSPECIFIED,
            false};
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
};

struct CoreProgram {
  int core = 0;
  int buffers = 2;
  std::vector<Step> steps;
  std::vector<Transfer> transfers;
  std::vector<ComputePhase> phases;

  void AddStep(const std::vector<Transfer>& loads,
               const std::vector<ComputePhase>& compute,
               const std::vector<Transfer>& stores);
};

struct OpProgram {
  std::vector<CoreProgram> cores;
  // The largest fraction of peak HBM bandwidth the op's kernel sustains
  // (ChipConfig::MemoryEfficiency of its kind): all its HBM and shared-SRAM
  // traffic together is served no faster than this × peak. 1: no cap.
  double memory_efficiency = 1.0;

  CoreProgram& AddCore(int core, int buffers) {
    cores.push_back(CoreProgram{core, buffers, {}, {}, {}});
    return cores.back();
  }
  // A digest of everything that determines the program's timing on an idle
  // chip. HBM addresses enter modulo `address_period` (the interleave
  // stripe), so two layers whose tensors sit at stripe-aligned bases hash
  // alike; shared-SRAM addresses do not enter (its timing ignores them).
  uint64_t Digest(uint64_t address_period) const;
};

}  // namespace dsasim::arch
