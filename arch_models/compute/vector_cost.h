// File: arch_models/compute/vector_cost.h
//
// Cycle cost of one vector-engine instruction (element-wise, transcendental,
// reduction) over `elements` elements on a `lanes`-wide SIMD engine.
//
// Example:
//   VectorCostTable ve(/*lanes=*/128, /*instruction_overhead_cycles=*/100,
//                      {{"exp", 2.0}});   // a preset's override
//   double c = ve.Cycles("exp", 4096);    // 100 + 32 vectors · 2 cycles
//   double r = ve.Cycles("sum", 4096);    // 100 + 32 · 1 + log2(128) tree
//
// Contract:
//   cycles = instruction_overhead_cycles
//          + ⌈elements / lanes⌉ · cycles_per_vector(op)
//          + (op is a reduction ? log2(lanes) : 0)
// Zero elements cost only the overhead. Unknown op names (in Cycles or in
// the overrides) throw ConfigError listing the known ops.
//
// Default cycles per vector (WHY these numbers; every preset may override):
//   - Simple ALU ops (add, mul, fma, max, copy, convert) issue one vector per
//     cycle: Trainium VectorE/ScalarE take ≈N cycles for N elements per
//     partition (component_refs §4.2), and the TPU VPU's ALUs have a 2-cycle
//     latency but are fully pipelined (§4.3), so throughput is 1 per cycle.
//     Trainium's "≈2N for two inputs" is an SBUF read-port limit, which a
//     Trainium preset expresses as an override of 2 for add/mul/max.
//   - Transcendentals (exp, rsqrt, reciprocal) are assumed to run at 1/4 rate
//     on a multi-cycle special-function unit (an NVIDIA SM has 16 SFUs beside
//     64–128 FP32 lanes, i.e. 1/4–1/8 rate; Trainium's ScalarE uses a LUT at
//     about full rate). 4 is the middle of that range; a preset should say.
//   - silu = x·sigmoid(x): exp + reciprocal + mul ≈ 4 + 4 + 1 → 6 assumed
//     (the exp and reciprocal units overlap partly).
//   - gelu (tanh form): a polynomial, a tanh (transcendental), muls ≈ 8.
//   - dequant: scale multiply plus convert → 2.
//   - address: one gathered row's descriptor address when the DMA cannot
//     walk an index list — load the index, multiply by the row pitch, add
//     the base, write the descriptor field: 4 dependent single-issue steps
//     per vector of rows (assumed; a scalar engine has 1 lane, so per row).
//   - transpose: a tile written back along the other axis, read one vector
//     at a time and passed through the cross-lane permute network — two
//     issue slots per vector (assumed; Trainium's engines transpose
//     32×32 blocks and a TPU's cross-lane unit (XLU) does it, neither
//     documents a rate).
//   - Reductions (sum, max_reduce) stream at 1 vector per cycle and then
//     combine the lanes in a log2(lanes)-deep adder/max tree.
// The static instruction overhead (Trainium: ~100 cycles, §4.2) is the
// caller's constructor argument because it differs by an order of magnitude
// between engines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/component_info.h"

namespace dsasim::arch {

class VectorCostTable {
 public:
  // Throws ConfigError on lanes ≤ 0, negative overhead, an unknown op or a
  // non-positive cost in the overrides.
  VectorCostTable(
      int lanes, int instruction_overhead_cycles,
      std::vector<std::pair<std::string, double>> cycles_per_vector_overrides);

  double Cycles(std::string_view op, int64_t elements) const;
  // The effective cycles per vector of `op` (default or override).
  double CyclesPerVector(std::string_view op) const;
  bool IsReduction(std::string_view op) const;

  int lanes() const { return lanes_; }
  int instruction_overhead_cycles() const { return instruction_overhead_cycles_; }
  // "add, mul, ..." — the op names this table knows, for error messages.
  static std::string KnownOps();

  // Parameters: the fields of v1::VectorEngineSpec.
  static const ComponentInfo& Info();

 private:
  struct OpCost {
    std::string_view name;
    double cycles_per_vector;
    bool reduction;
  };
  const OpCost& Find(std::string_view op) const;

  int lanes_;
  int instruction_overhead_cycles_;
  double tree_cycles_;  // log2(lanes), paid by reductions
  std::vector<OpCost> ops_;
};

}  // namespace dsasim::arch
