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
// Time is bounded by a horizon of 2^62 ps (53 days), far beyond any run. A
// duration or a sum past it throws TimeOverflowError: a run whose costs add up
// to months means a parameter is far out of range, and the alternative is
// signed overflow (undefined behaviour: crashes, hangs). The spare bit keeps
// the products that size timeline buckets inside int64.
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
  static constexpr int64_t kHorizonPs = int64_t{1} << 62;

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

  // Checked: one predictable branch each, cheaper than any event.
  constexpr Tick operator+(Tick o) const { return Tick(Checked(ps_, o.ps_, '+')); }
  constexpr Tick operator-(Tick o) const { return Tick(Checked(ps_, o.ps_, '-')); }
  constexpr Tick& operator+=(Tick o) { return *this = *this + o; }
  constexpr Tick& operator-=(Tick o) { return *this = *this - o; }
  constexpr Tick operator*(int64_t n) const { return Tick(Checked(ps_, n, '*')); }
  constexpr auto operator<=>(const Tick&) const = default;

 private:
  constexpr explicit Tick(int64_t ps) : ps_(ps) {}
  [[noreturn]] static void Overflow(const std::string& what) {
    throw TimeOverflowError("simulated time overflow: " + what +
                            " is past the 2^62 ps (53-day) horizon; a parameter is "
                            "far out of range (a clock near 0, a bandwidth near 0, "
                            "or a latency of days)");
  }
  // Durations come from bytes / bandwidth and cycles / frequency; rounding to
  // the nearest picosecond keeps sums of many small pieces unbiased. NaN and
  // values past the horizon are errors, not undefined conversions.
  static constexpr int64_t Round(double v) {
    if (!(v <= static_cast<double>(kHorizonPs) &&
          v >= -static_cast<double>(kHorizonPs))) {
      Overflow("a duration of " + std::to_string(v * 1e-12) + " s");
    }
    return static_cast<int64_t>(v >= 0 ? v + 0.5 : v - 0.5);
  }
  static constexpr int64_t Checked(int64_t a, int64_t b, char op) {
    int64_t r = 0;
    bool overflow = op == '+'   ? __builtin_add_overflow(a, b, &r)
                    : op == '-' ? __builtin_sub_overflow(a, b, &r)
                                : __builtin_mul_overflow(a, b, &r);
    if (overflow) [[unlikely]] {
      Overflow(std::to_string(a) + " ps " + op + " " + std::to_string(b));
    }
    return r;
  }
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
