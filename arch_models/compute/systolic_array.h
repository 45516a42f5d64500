// File: arch_models/compute/systolic_array.h
//
// Cycle cost of one GEMM on an R×C systolic array (TPU MXU, Trainium
// TensorE, a generic DSA's PE grid), by SCALE-Sim v2's closed forms. Event
// free: an engine asks for the cycles and schedules them itself.
//
// Example:
//   SystolicArray mxu(128, 128, v1::DATAFLOW_WEIGHT_STATIONARY);
//   int64_t c = mxu.Cycles({.m = 512, .n = 1024, .k = 128});
//   double used = mxu.MappingEfficiency({.m = 512, .n = 1024, .k = 128});
//
// Contract (validation/component_refs.md §4.1; exact, not approximate):
//   OS: folds = ⌈M/R⌉·⌈N/C⌉, cycles = folds·(K + R + C − 2) − 1
//   WS: folds = ⌈K/R⌉·⌈N/C⌉, cycles = folds·(2R + C + M − 2) − 1
//   IS: folds = ⌈K/R⌉·⌈M/C⌉, cycles = folds·(2R + C + N − 2) − 1
// The OS form matches all 55,172 LLMCompass look-up-table entries and the WS
// form SCALE-Sim's golden AlexNet trace (112,283 cycles). Folds run back to
// back with no overlap of one fold's drain with the next fold's fill: that is
// what SCALE-Sim counts, and agreeing with it exactly is worth more than the
// few percent a double-buffered array would win back.
// REQUIRES: rows, cols > 0; a dataflow other than UNSPECIFIED; m, n, k > 0
// (an empty GEMM costs 0 cycles).
#pragma once

#include <cstdint>

#include "dsasim/v1/system.pb.h"
#include "sim/component_info.h"

namespace dsasim::arch {

// C[m×n] = A[m×k] · B[k×n].
struct GemmShape {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
};

class SystolicArray {
 public:
  // Throws ConfigError on non-positive sizes or an unspecified dataflow.
  SystolicArray(int rows, int cols, v1::Dataflow dataflow);

  // SCALE-Sim v2 total cycles (compute only; operands are assumed resident,
  // SCALE-Sim's "stall 0" case — the engine adds memory stalls).
  int64_t Cycles(const GemmShape& shape) const;
  // Array-sized tiles the GEMM is cut into.
  int64_t Folds(const GemmShape& shape) const;
  // SCALE-Sim's "mapping efficiency": the fraction of PEs holding a mapped
  // operand, averaged over folds (94.53 % for the golden trace).
  double MappingEfficiency(const GemmShape& shape) const;
  // SCALE-Sim's "compute utilisation": MACs / (cycles · R · C).
  double Utilization(const GemmShape& shape) const;

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  v1::Dataflow dataflow() const { return dataflow_; }

  // Parameters: the fields of v1::SystolicArraySpec.
  static const ComponentInfo& Info();

 private:
  // The (spatial rows, spatial cols, temporal) dimensions of §4.1's
  // "operand mapping" column for this dataflow.
  struct Mapping {
    int64_t sr, sc, t;
  };
  Mapping Map(const GemmShape& shape) const;

  int rows_;
  int cols_;
  v1::Dataflow dataflow_;
};

}  // namespace dsasim::arch
