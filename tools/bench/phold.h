// File: tools/bench/phold.h
//
// PHOLD, the classic discrete-event kernel benchmark: N logical processes
// each start with a population of events; every event, when it fires, sends
// one new event to a random process after an exponentially distributed
// delay. The pending-event count stays constant, so the benchmark measures
// schedule + dispatch cost alone, and memory must not grow with events.
//
// Example:
//   PholdResult r = RunPhold({.processes = 1024, .events = 20'000'000});
//   // r.events_per_s, r.peak_rss_bytes
#pragma once

#include <cstdint>
#include <functional>

#include "sim/time.h"

namespace dsasim {

struct PholdConfig {
  int processes = 1024;
  int population_per_process = 4;
  uint64_t events = 20'000'000;
  double mean_delay_ns = 10.0;
  uint64_t seed = 1;
};

struct PholdResult {
  uint64_t events = 0;
  double wall_seconds = 0;
  double events_per_s = 0;
  double simulated_seconds = 0;
  int64_t peak_rss_bytes = 0;
  // RSS after the first 10% of events and at the end: equal when nothing
  // grows per event.
  int64_t rss_after_warmup_bytes = 0;
  int64_t rss_at_end_bytes = 0;
  // Order-sensitive digest of (tick, target) of every event: equal digests
  // mean identical event sequences.
  uint64_t digest = 0;
};

PholdResult RunPhold(const PholdConfig& config);

// Current and peak resident set size of this process, in bytes.
int64_t CurrentRssBytes();
int64_t PeakRssBytes();

}  // namespace dsasim
