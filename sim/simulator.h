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

#include <cassert>
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
  void Schedule(Event& e, Tick when) {
    assert(when >= now_);
    Tick::CheckHorizon(when);
    queue_.Schedule(e, when);
  }
  void ScheduleAfter(Event& e, Tick delay) { Schedule(e, now_ + delay); }
  // REQUIRES: e.scheduled().
  void Cancel(Event& e) { queue_.Cancel(e); }
  void Reschedule(Event& e, Tick when);

  // One-shot work at `when`. Pooled: no allocation once the pool is warm.
  void Post(Tick when, InlineCallback fn,
            EventPriority priority = EventPriority::kDefault) {
    if (free_pooled_.empty()) [[unlikely]]
      GrowPool();
    PooledEvent* e = free_pooled_.back();
    free_pooled_.pop_back();
    e->fn = fn;
    e->set_priority(priority);
    Schedule(*e, when);
  }
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
  // RunUntil throws LimitError once more than `max_events` events have been
  // processed, or when the process's resident memory exceeds `max_bytes`
  // (read every kMemoryCheckEvents events; 0 turns it off): the hard bounds
  // behind `--max-events` and `--max-memory`, for runs that the estimates
  // before simulating under-counted.
  void set_limits(uint64_t max_events, double max_bytes);
  static constexpr uint64_t kMemoryCheckEvents = 1 << 18;
  size_t pending_events() const { return queue_.live_size(); }
  std::mt19937_64& rng() { return rng_; }
  uint64_t seed() const { return seed_; }

  // Observer called before each event fires, with its tick and order key
  // ((priority << 56) | sequence); used by determinism tests. Empty by default
  // (one predictable branch per event).
  using TraceHook = std::function<void(Tick, uint64_t order)>;
  void set_trace_hook(TraceHook hook) { trace_hook_ = std::move(hook); }

 private:
  // Post's one-shot events, defined here so that Post inlines into its
  // callers. Laid out so that firing one touches a single cache line: the
  // Event, the callback's function pointer and the first 16 bytes of its
  // captures share the first 64 bytes. The null handler marks the event as
  // pooled; RunUntil runs its callback and returns it to the pool itself,
  // so the event needs no pointer back to its simulator.
  struct alignas(64) PooledEvent : Event {
    PooledEvent() : Event(nullptr) {}
    InlineCallback fn;
  };
  static_assert(sizeof(Event) + sizeof(void*) + 16 <= 64,
                "a pooled event's hot fields no longer fit one cache line");
  // Adds a chunk of events to the pool.
  void GrowPool();
  void CheckLimits();

  // The pool is declared before the queue so that the queue is destroyed
  // first: it detaches every pending event in one pass, instead of each
  // pooled event purging itself from a still-full queue.
  std::vector<std::unique_ptr<PooledEvent[]>> pool_chunks_;
  // Free pooled events, last freed on top (the most likely cached). A stack
  // of pointers, not a list threaded through the events: taking one then
  // reads no event memory.
  std::vector<PooledEvent*> free_pooled_;
  Tick now_;
  EventQueue queue_;
  uint64_t events_processed_ = 0;
  uint64_t event_limit_ = UINT64_MAX;
  double memory_limit_ = 0;
  // The next event count at which a limit is checked: one compare per event
  // covers both limits.
  uint64_t next_limit_check_ = UINT64_MAX;
  uint64_t seed_;
  std::mt19937_64 rng_;
  TraceHook trace_hook_;
};

}  // namespace dsasim
