// dsasim_microbench: Google Benchmark figures for the event kernel alone.
//
// Each benchmark keeps `pending` events in the queue; every firing schedules
// its successor through the public API (ScheduleAfter for member events,
// PostAfter for pooled callbacks) until the batch budget is spent, and
// dispatch goes through Simulator::Run(). items_per_second is events
// dispatched per second. Queue sizes span the front heap (16), a typical
// chip model (1k) and a large one (64k), where bucket memory leaves cache.
//
// Example:
//   dsasim_microbench --benchmark_filter=PostDispatch
//
// Timing lives here, never in tests (STYLE.md 16).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/event.h"
#include "sim/simulator.h"

namespace dsasim {
namespace {

// Delays from a fast generator over 1..32'768 ps (mean ~16 ns), like PHOLD:
// a distribution call per event would measure the generator, not the kernel.
class DelaySource {
 public:
  Tick Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return Tick::FromPs(1 +
                        static_cast<int64_t>((state_ * 2685821657736338717ull) >> 49));
  }

 private:
  uint64_t state_ = 0x9E3779B97F4A7C15ull;
};

// Events dispatched per Run(): enough that seeding and draining the queue
// are a small part of each batch.
int64_t BatchEvents(int64_t pending) { return 64 * pending; }

class MemberEventRing {
 public:
  MemberEventRing(Simulator& sim, int pending) : sim_(sim) {
    processes_.reserve(pending);
    for (int i = 0; i < pending; ++i) {
      processes_.push_back(std::make_unique<Process>(this));
    }
  }
  void Start(int64_t budget) {
    remaining_ = budget;
    for (auto& p : processes_) sim_.ScheduleAfter(p->event, delays_.Next());
  }

 private:
  struct Process {
    explicit Process(MemberEventRing* ring) : ring(ring), event(this) {}
    void Fire() { ring->OnFire(*this); }
    MemberEventRing* ring;
    MemberEvent<Process, &Process::Fire> event;
  };
  void OnFire(Process& p) {
    if (remaining_ == 0) return;
    --remaining_;
    sim_.ScheduleAfter(p.event, delays_.Next());
  }

  Simulator& sim_;
  std::vector<std::unique_ptr<Process>> processes_;
  DelaySource delays_;
  int64_t remaining_ = 0;
};

void BM_ScheduleDispatch(benchmark::State& state) {
  const int pending = static_cast<int>(state.range(0));
  Simulator sim;
  MemberEventRing ring(sim, pending);
  uint64_t before = sim.events_processed();
  for (auto _ : state) {
    ring.Start(BatchEvents(pending));
    sim.Run();
  }
  state.SetItemsProcessed(static_cast<int64_t>(sim.events_processed() - before));
}
BENCHMARK(BM_ScheduleDispatch)->Arg(16)->Arg(1 << 10)->Arg(1 << 16);

class PostChain {
 public:
  explicit PostChain(Simulator& sim) : sim_(sim) {}
  void Start(int pending, int64_t budget) {
    remaining_ = budget;
    for (int i = 0; i < pending; ++i) Send(i);
  }

 private:
  void Send(int id) {
    sim_.PostAfter(delays_.Next(), [this, id] { Receive(id); });
  }
  void Receive(int id) {
    if (remaining_ == 0) return;
    --remaining_;
    Send(id);
  }

  Simulator& sim_;
  DelaySource delays_;
  int64_t remaining_ = 0;
};

void BM_PostDispatch(benchmark::State& state) {
  const int pending = static_cast<int>(state.range(0));
  Simulator sim;
  PostChain chain(sim);
  uint64_t before = sim.events_processed();
  for (auto _ : state) {
    chain.Start(pending, BatchEvents(pending));
    sim.Run();
  }
  state.SetItemsProcessed(static_cast<int64_t>(sim.events_processed() - before));
}
BENCHMARK(BM_PostDispatch)->Arg(16)->Arg(1 << 10)->Arg(1 << 16);

}  // namespace
}  // namespace dsasim

BENCHMARK_MAIN();
