#include "tools/bench/phold.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "sim/simulator.h"

namespace dsasim {
namespace {

// Delays are drawn from a table of exponential samples indexed by a fast
// generator: drawing with std::exponential_distribution per event would make
// the benchmark measure log() rather than the kernel.
constexpr size_t kDelayTableSize = 4096;

struct Phold {
  Simulator sim;
  std::vector<Tick> delays;
  uint64_t state;
  uint64_t remaining;
  uint64_t digest = 1469598103934665603ull;
  uint64_t warmup_mark;
  int processes;
  int64_t rss_after_warmup = 0;

  Phold(const PholdConfig& c)
      : sim(c.seed),
        state(c.seed * 0x9E3779B97F4A7C15ull + 1),
        remaining(c.events),
        warmup_mark(c.events - c.events / 10),
        processes(c.processes) {
    std::exponential_distribution<double> exp(1.0 / c.mean_delay_ns);
    delays.reserve(kDelayTableSize);
    for (size_t i = 0; i < kDelayTableSize; ++i) {
      // At least 1 ps: PHOLD needs a positive lookahead.
      delays.push_back(Max(Tick::FromNs(exp(sim.rng())), Tick::FromPs(1)));
    }
  }

  uint64_t Next() {  // xorshift64*
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
  }

  void Send() {
    uint64_t r = Next();
    int target = static_cast<int>((r >> 32) % static_cast<uint64_t>(processes));
    Tick delay = delays[r & (kDelayTableSize - 1)];
    sim.PostAfter(delay, [this, target] { Receive(target); });
  }

  void Receive(int target) {
    digest = (digest ^ (static_cast<uint64_t>(sim.Now().ps()) * 31 +
                        static_cast<uint64_t>(target))) *
             1099511628211ull;
    if (remaining == 0) return;
    if (--remaining == warmup_mark) rss_after_warmup = CurrentRssBytes();
    Send();
  }
};

}  // namespace

int64_t CurrentRssBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages_total = 0, pages_resident = 0;
  int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  return n == 2 ? pages_resident * 4096 : 0;
}

int64_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

PholdResult RunPhold(const PholdConfig& config) {
  Phold phold(config);
  for (int p = 0; p < config.processes; ++p) {
    for (int i = 0; i < config.population_per_process; ++i) phold.Send();
  }
  auto start = std::chrono::steady_clock::now();
  phold.sim.Run();
  auto stop = std::chrono::steady_clock::now();

  PholdResult r;
  r.events = phold.sim.events_processed();
  r.wall_seconds = std::chrono::duration<double>(stop - start).count();
  r.events_per_s = r.wall_seconds > 0 ? r.events / r.wall_seconds : 0;
  r.simulated_seconds = phold.sim.Now().Seconds();
  r.peak_rss_bytes = PeakRssBytes();
  r.rss_after_warmup_bytes = phold.rss_after_warmup;
  r.rss_at_end_bytes = CurrentRssBytes();
  r.digest = phold.digest;
  return r;
}

}  // namespace dsasim
