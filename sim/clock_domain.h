// File: sim/clock_domain.h
//
// A clock domain converts between cycles and picoseconds for one frequency.
// Engines, SRAM, HBM, NoC and links each own one; they never share a global
// clock, because an accelerator's components run at different frequencies.
//
// Example:
//   ClockDomain tensor_clock(1.83e9);               // 1.83 GHz
//   Tick busy = tensor_clock.ToTicks(Cycles(4096));
//   Tick edge = tensor_clock.NextEdge(sim.Now());   // align a start to a cycle
//
// Periods are kept as exact rational picoseconds (numerator / frequency) so
// that 1.83 GHz does not drift by rounding the period to 546 ps per cycle.
#pragma once

#include "sim/time.h"

namespace dsasim {

class ClockDomain {
 public:
  // REQUIRES: hz > 0.
  explicit ClockDomain(double hz);

  double hz() const { return hz_; }
  // Duration of `n` cycles, rounded to the nearest picosecond.
  Tick ToTicks(Cycles n) const;
  // Fractional cycles are legal for throughput-derived costs (bytes / width).
  Tick ToTicks(double cycles) const;
  // Whole cycles that fit in `t`, rounded up (a partial cycle is a cycle).
  Cycles ToCyclesCeil(Tick t) const;
  // The first clock edge at or after `t`.
  Tick NextEdge(Tick t) const;

 private:
  double hz_;
};

}  // namespace dsasim
