#include "sim/clock_domain.h"

#include <cmath>
#include <stdexcept>

namespace dsasim {

ClockDomain::ClockDomain(double hz) : hz_(hz) {
  if (!(hz > 0) || !std::isfinite(hz)) {
    throw std::invalid_argument("clock frequency must be positive and finite");
  }
}

Tick ClockDomain::ToTicks(Cycles n) const {
  return Tick::FromSeconds(static_cast<double>(n.count()) / hz_);
}

Tick ClockDomain::ToTicks(double cycles) const { return Tick::FromSeconds(cycles / hz_); }

Cycles ClockDomain::ToCyclesCeil(Tick t) const {
  // ToTicks rounds to the nearest picosecond, so a whole number of cycles may
  // come back up to half a picosecond long; that half picosecond is not a
  // partial cycle.
  double cycles = t.Seconds() * hz_;
  double rounding_slack = 0.5e-12 * hz_ + 1e-9;
  return Cycles(static_cast<int64_t>(std::ceil(cycles - rounding_slack)));
}

Tick ClockDomain::NextEdge(Tick t) const {
  Cycles c = ToCyclesCeil(t);
  Tick edge = ToTicks(c);
  return edge < t ? ToTicks(c + Cycles(1)) : edge;
}

}  // namespace dsasim
