// File: sim/time.h
//
// Simulated time. `Tick` is an absolute point or a duration in picoseconds;
// `Cycles` counts clock edges of one clock domain. They are distinct types so
// that a cycle count can never be added to a time by accident: the only way
// between them is a ClockDomain (sim/clock_domain.h).
//
// Example:
//   Tick t = Tick::FromNs(30);          // 30'000 ps
//   Tick u = t + Tick::FromPs(500);
//   double us = u.Seconds() * 1e6;
//
// Time is bounded by a horizon of 2^61 ps (26.7 days), far beyond any run. A
// duration converted from seconds, an event scheduled, or a timeline
// interval past it throws TimeOverflowError: a run whose costs add up to
// weeks means a parameter is far out of range, and the alternative is signed
// overflow (undefined behaviour: crashes, hangs). The two spare bits keep
// sums of a few in-range times, and the products that size timeline
// buckets, inside int64.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace dsasim {

// Simulated time left the representable range.
class TimeOverflowError : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

class Tick {
 public:
  // The latest time a run may reach.
  static constexpr int64_t kHorizonPs = int64_t{1} << 61;

  constexpr Tick() = default;
  static constexpr Tick FromPs(int64_t ps) { return Tick(ps); }
  static constexpr Tick FromNs(double ns) { return Tick(Round(ns * 1e3)); }
  static constexpr Tick FromUs(double us) { return Tick(Round(us * 1e6)); }
  static constexpr Tick FromSeconds(double s) { return Tick(Round(s * 1e12)); }
  // "Never": a bound to compare against, not a time to compute with.
  static constexpr Tick Max() { return Tick(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ps() const { return ps_; }
  constexpr double Seconds() const { return static_cast<double>(ps_) * 1e-12; }
  constexpr double Ns() const { return static_cast<double>(ps_) * 1e-3; }

  // Sums are not checked one by one: the horizon leaves two bits of
  // headroom, so a handful of in-range times cannot wrap before a boundary
  // (a conversion, Simulator::Schedule, the timeline) sees the result.
  // Checking every add cost 10 % of a decode run's instructions.
  constexpr Tick operator+(Tick o) const { return Tick(ps_ + o.ps_); }
  constexpr Tick operator-(Tick o) const { return Tick(ps_ - o.ps_); }
  constexpr Tick& operator+=(Tick o) {
    ps_ += o.ps_;
    return *this;
  }
  constexpr Tick& operator-=(Tick o) {
    ps_ -= o.ps_;
    return *this;
  }
  // A product can leave the range in one step, so it is checked.
  constexpr Tick operator*(int64_t n) const {
    int64_t r = 0;
    if (__builtin_mul_overflow(ps_, n, &r)) [[unlikely]]
      ArithmeticOverflow(ps_, '*', n);
    return Tick(r);
  }
  // Throws TimeOverflowError when `t` lies past the horizon.
  static constexpr void CheckHorizon(Tick t) {
    if (t.ps_ > kHorizonPs) [[unlikely]]
      PastHorizon(t.ps_);
  }
  constexpr auto operator<=>(const Tick&) const = default;

 private:
  constexpr explicit Tick(int64_t ps) : ps_(ps) {}
  [[noreturn, gnu::cold, gnu::noinline]] static void Overflow(const std::string& what) {
    throw TimeOverflowError("simulated time overflow: " + what +
                            " is past the 2^61 ps (26.7-day) horizon; a parameter is "
                            "far out of range (a clock near 0, a bandwidth near 0, "
                            "or a latency of days)");
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void ArithmeticOverflow(int64_t a,
                                                                        char op,
                                                                        int64_t b) {
    Overflow(std::to_string(a) + " ps " + op + " " + std::to_string(b));
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void PastHorizon(int64_t ps) {
    Overflow("the time " + std::to_string(static_cast<double>(ps) * 1e-12) + " s");
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void DurationOverflow(double ps) {
    Overflow("a duration of " + std::to_string(ps * 1e-12) + " s");
  }
  // Durations come from bytes / bandwidth and cycles / frequency; rounding to
  // the nearest picosecond keeps sums of many small pieces unbiased. NaN and
  // values past the horizon are errors, not undefined conversions.
  static constexpr int64_t Round(double v) {
    // One compare, false for NaN too.
    if (!(Abs(v) <= static_cast<double>(kHorizonPs))) [[unlikely]]
      DurationOverflow(v);
    return static_cast<int64_t>(v >= 0 ? v + 0.5 : v - 0.5);
  }
  static constexpr double Abs(double v) { return v < 0 ? -v : v; }
  int64_t ps_ = 0;
};

constexpr Tick Max(Tick a, Tick b) { return a < b ? b : a; }
constexpr Tick Min(Tick a, Tick b) { return a < b ? a : b; }

class Cycles {
 public:
  constexpr Cycles() = default;
  constexpr explicit Cycles(int64_t n) : n_(n) {}
  constexpr int64_t count() const { return n_; }
  constexpr Cycles operator+(Cycles o) const { return Cycles(n_ + o.n_); }
  constexpr Cycles operator-(Cycles o) const { return Cycles(n_ - o.n_); }
  constexpr Cycles& operator+=(Cycles o) {
    n_ += o.n_;
    return *this;
  }
  constexpr Cycles operator*(int64_t k) const { return Cycles(n_ * k); }
  constexpr auto operator<=>(const Cycles&) const = default;

 private:
  int64_t n_ = 0;
};

}  // namespace dsasim
