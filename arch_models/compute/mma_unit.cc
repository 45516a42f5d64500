#include "arch_models/compute/mma_unit.h"

#include <string>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

double PadTo(int64_t v, int tile) {
  return static_cast<double>((v + tile - 1) / tile) * tile;
}

}  // namespace

MmaUnit::MmaUnit(double flops_per_cycle_per_unit, int units, int min_m, int min_n,
                 int min_k, double efficiency, double pipeline_latency_cycles)
    : flops_per_cycle_per_unit_(flops_per_cycle_per_unit),
      units_(units),
      min_m_(min_m),
      min_n_(min_n),
      min_k_(min_k),
      efficiency_(efficiency),
      pipeline_latency_cycles_(pipeline_latency_cycles) {
  if (!(flops_per_cycle_per_unit > 0) || units <= 0 || min_m <= 0 || min_n <= 0 ||
      min_k <= 0) {
    throw ConfigError(
        "mma unit: flops_per_cycle, units, min_m, min_n and min_k must be > 0");
  }
  if (!(efficiency > 0 && efficiency <= 1)) {
    throw ConfigError("mma unit: efficiency must be in (0, 1], got " +
                      std::to_string(efficiency));
  }
  if (!(pipeline_latency_cycles >= 0)) {
    throw ConfigError("mma unit: pipeline latency must be ≥ 0");
  }
}

double MmaUnit::PaddedFlops(const GemmShape& s) const {
  if (s.m <= 0 || s.n <= 0 || s.k <= 0) return 0.0;
  return 2.0 * PadTo(s.m, min_m_) * PadTo(s.n, min_n_) * PadTo(s.k, min_k_);
}

double MmaUnit::Cycles(const GemmShape& shape, double dtype_multiplier) const {
  if (!(dtype_multiplier > 0)) {
    throw ConfigError("mma unit: dtype multiplier must be > 0, got " +
                      std::to_string(dtype_multiplier));
  }
  const double flops = PaddedFlops(shape);
  if (flops == 0.0) return 0.0;
  return flops / (PeakFlopsPerCycle() * dtype_multiplier * efficiency_) +
         pipeline_latency_cycles_;
}

const ComponentInfo& MmaUnit::Info() {
  static const ComponentInfo info{
      "mma_unit",
      "dsasim.v1.MmaUnitSpec",
      "GPU-style tensor cores: padded FLOPs over peak rate, plus a fill latency.",
      {{"flops_per_cycle", "FLOP/cycle", "(required)",
        "dense bf16 FLOP per cycle per unit (a MAC is 2 FLOP)"},
       {"units", "count", "(required)", "MMA units per core"},
       {"min_m", "elements", "(required)", "smallest full-rate tile, M"},
       {"min_n", "elements", "(required)", "smallest full-rate tile, N"},
       {"min_k", "elements", "(required)", "smallest full-rate tile, K"},
       {"efficiency", "fraction", "1", "fraction of peak a well-shaped tile sustains"}},
      {{"gemms", "count", "GEMM tiles executed"},
       {"busy_cycles", "cycles", "cycles spent computing"},
       {"flops", "FLOP", "useful FLOPs"},
       {"padded_flops", "FLOP", "FLOPs executed including tile padding"}}};
  return info;
}

}  // namespace dsasim::arch
