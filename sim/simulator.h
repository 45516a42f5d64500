// File: sim/simulator.h
//
// The simulation kernel: current time, the event queue, a seeded random
// generator, and a pool of one-shot callback events. Everything a simulation
// needs hangs off one Simulator; there is no global state, so several
// simulations can run in one process (the sweep runner does).
//
// Example:
//   Simulator sim(/*seed=*/42);
//   sim.Post(Tick::FromNs(10), [&] { spdlog::info("at {}", sim.Now().ps()); });
//   sim.Run();
//
// Contract:
//   - Events fire in (tick, priority, sequence) order; Now() never decreases.
//   - Scheduling in the past is a programming error (asserted).
//   - Idle hardware schedules nothing: Run() returns when the queue is empty.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "sim/event.h"
#include "sim/event_queue.h"
#include "sim/inline_callback.h"

namespace dsasim {

class Simulator {
 public:
  explicit Simulator(uint64_t seed = 1);
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;
  ~Simulator();

  Tick Now() const { return now_; }

  // REQUIRES: !e.scheduled(), when >= Now().
  void Schedule(Event& e, Tick when);
  void ScheduleAfter(Event& e, Tick delay) { Schedule(e, now_ + delay); }
  // REQUIRES: e.scheduled().
  void Cancel(Event& e) { queue_.Cancel(e); }
  void Reschedule(Event& e, Tick when);

  // One-shot work at `when`. Pooled: no allocation once the pool is warm.
  void Post(Tick when, InlineCallback fn,
            EventPriority priority = EventPriority::kDefault);
  void PostAfter(Tick delay, InlineCallback fn,
                 EventPriority priority = EventPriority::kDefault) {
    Post(now_ + delay, fn, priority);
  }

  // Processes events until the queue is empty.
  void Run() { RunUntil(Tick::Max()); }
  // Processes every event with tick <= limit; Now() ends at the last event
  // processed (not at `limit`: time only moves when something happens).
  void RunUntil(Tick limit);

  uint64_t events_processed() const { return events_processed_; }
  size_t pending_events() const { return queue_.live_size(); }
  std::mt19937_64& rng() { return rng_; }
  uint64_t seed() const { return seed_; }

  // Observer called before each event fires, with its tick and order key
  // ((priority << 56) | sequence); used by determinism tests. Empty by default
  // (one predictable branch per event).
  using TraceHook = std::function<void(Tick, uint64_t order)>;
  void set_trace_hook(TraceHook hook) { trace_hook_ = std::move(hook); }

 private:
  struct PooledEvent;
  static void FirePooled(Event& e);
  PooledEvent* AcquirePooled();

  Tick now_;
  EventQueue queue_;
  uint64_t events_processed_ = 0;
  uint64_t seed_;
  std::mt19937_64 rng_;
  TraceHook trace_hook_;
  std::vector<std::unique_ptr<PooledEvent[]>> pool_chunks_;
  PooledEvent* free_list_ = nullptr;
};

}  // namespace dsasim
