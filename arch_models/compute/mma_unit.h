// File: arch_models/compute/mma_unit.h
//
// Cycle cost of one GEMM tile on GPU-style matrix-multiply-accumulate units
// (an SM's tensor cores): a throughput model, not a dataflow model.
//
// Example:
//   // H100 SM: 4 tensor cores × 1024 dense bf16 FLOP/cycle, 64×8×16 tiles.
//   MmaUnit tc(1024, 4, 64, 8, 16, 0.9);
//   double c = tc.Cycles({.m = 128, .n = 128, .k = 64}, /*dtype_multiplier=*/1.0);
//
// Contract:
//   padded = ⌈m/min_m⌉·min_m · ⌈n/min_n⌉·min_n · ⌈k/min_k⌉·min_k
//   cycles = 2·padded / (units · flops_per_cycle_per_unit · dtype_multiplier
//                        · efficiency) + pipeline_latency_cycles
// Padding is why a 1×1×1 GEMM costs as much as a min tile: the hardware
// issues whole instruction tiles and discards the padding. `efficiency`
// carries the issue/register/synchronisation losses the preset calibrates.
// `pipeline_latency_cycles` (default kDefaultPipelineLatencyCycles) is paid
// once per call: tiles inside a call are pipelined, so only the first
// result's fill latency is exposed; callers that chain dependent calls pay it
// each time, which is the behaviour of a real dependent MMA chain.
// REQUIRES: all constructor arguments > 0, efficiency ≤ 1, latency ≥ 0;
// dtype_multiplier > 0 (bf16 = 1, fp8 = 2 on H100).
#pragma once

#include "arch_models/compute/systolic_array.h"
#include "sim/component_info.h"

namespace dsasim::arch {

class MmaUnit {
 public:
  // Assumed: a few tens of cycles from issue to the first accumulated
  // result (wgmma-class instructions on Hopper are reported in this range).
  // Small next to any real tile, so the exact value barely moves results.
  static constexpr double kDefaultPipelineLatencyCycles = 32.0;

  // Throws ConfigError on out-of-range arguments.
  MmaUnit(double flops_per_cycle_per_unit, int units, int min_m, int min_n, int min_k,
          double efficiency,
          double pipeline_latency_cycles = kDefaultPipelineLatencyCycles);

  double Cycles(const GemmShape& shape, double dtype_multiplier) const;
  // FLOPs the hardware actually executes (2 · padded MACs).
  double PaddedFlops(const GemmShape& shape) const;
  // Dense FLOP per cycle of all units at multiplier 1, before `efficiency`.
  double PeakFlopsPerCycle() const { return flops_per_cycle_per_unit_ * units_; }
  double pipeline_latency_cycles() const { return pipeline_latency_cycles_; }

  // Parameters: the fields of v1::MmaUnitSpec.
  static const ComponentInfo& Info();

 private:
  double flops_per_cycle_per_unit_;
  int units_;
  int min_m_;
  int min_n_;
  int min_k_;
  double efficiency_;
  double pipeline_latency_cycles_;
};

}  // namespace dsasim::arch
