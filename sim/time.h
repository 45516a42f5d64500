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
// 64-bit picoseconds cover 106 days of simulated time, far beyond any run.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace dsasim {

class Tick {
 public:
  constexpr Tick() = default;
  static constexpr Tick FromPs(int64_t ps) { return Tick(ps); }
  static constexpr Tick FromNs(double ns) { return Tick(Round(ns * 1e3)); }
  static constexpr Tick FromUs(double us) { return Tick(Round(us * 1e6)); }
  static constexpr Tick FromSeconds(double s) { return Tick(Round(s * 1e12)); }
  static constexpr Tick Max() { return Tick(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ps() const { return ps_; }
  constexpr double Seconds() const { return static_cast<double>(ps_) * 1e-12; }
  constexpr double Ns() const { return static_cast<double>(ps_) * 1e-3; }

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
  constexpr Tick operator*(int64_t n) const { return Tick(ps_ * n); }
  constexpr auto operator<=>(const Tick&) const = default;

 private:
  constexpr explicit Tick(int64_t ps) : ps_(ps) {}
  // Durations come from bytes / bandwidth and cycles / frequency; rounding to
  // the nearest picosecond keeps sums of many small pieces unbiased.
  static constexpr int64_t Round(double v) {
    return static_cast<int64_t>(v >= 0 ? v + 0.5 : v - 0.5);
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
