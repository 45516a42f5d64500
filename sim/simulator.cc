#include "sim/simulator.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "sim/error.h"
#include "sim/resident_memory.h"

namespace dsasim {

namespace {
constexpr size_t kPoolChunk = 1024;
}  // namespace

Simulator::Simulator(uint64_t seed) : seed_(seed), rng_(seed) {}

Simulator::~Simulator() = default;

void Simulator::Reschedule(Event& e, Tick when) {
  if (e.scheduled()) queue_.Cancel(e);
  Schedule(e, when);
}

void Simulator::GrowPool() {
  pool_chunks_.push_back(std::make_unique<PooledEvent[]>(kPoolChunk));
  PooledEvent* chunk = pool_chunks_.back().get();
  // Reserve for the whole pool, so that returning events never allocates.
  free_pooled_.reserve(pool_chunks_.size() * kPoolChunk);
  for (size_t i = kPoolChunk; i > 0; --i) free_pooled_.push_back(&chunk[i - 1]);
}

void Simulator::set_limits(uint64_t max_events, double max_bytes) {
  event_limit_ = max_events;
  memory_limit_ = max_bytes;
  next_limit_check_ = events_processed_;
  CheckLimits();
}

void Simulator::CheckLimits() {
  if (events_processed_ > event_limit_) {
    throw LimitError("the simulation reached its limit of " +
                     std::to_string(event_limit_) + " events at " +
                     std::to_string(now_.Seconds()) +
                     " s of simulated time (raise it with --max-events)");
  }
  if (memory_limit_ > 0) {
    if (const double resident = ResidentBytes(); resident > memory_limit_) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "the simulation's resident memory reached %.0f MiB, above the "
                    "limit of %.0f MiB (raise it with --max-memory)",
                    resident / (1 << 20), memory_limit_ / (1 << 20));
      throw LimitError(text);
    }
  }
  const uint64_t next_memory_check =
      memory_limit_ > 0 ? events_processed_ + kMemoryCheckEvents : UINT64_MAX;
  next_limit_check_ = std::min(
      next_memory_check, event_limit_ == UINT64_MAX ? UINT64_MAX : event_limit_ + 1);
}

void Simulator::RunUntil(Tick limit) {
  while (Event* e = queue_.PopUntil(limit)) {
    now_ = e->when();
    if (++events_processed_ >= next_limit_check_) [[unlikely]]
      CheckLimits();
    if (trace_hook_) [[unlikely]]
      trace_hook_(now_, queue_.last_order());
    if (e->handler_ != nullptr) {
      e->handler_(*e);
    } else {
      // A pooled event. The callback runs in place and the event is freed
      // afterwards: copying the callback out first, so that a Post inside
      // it could reuse this event, cost a 64-byte copy per event.
      auto* pooled = static_cast<PooledEvent*>(e);
      pooled->fn();
      free_pooled_.push_back(pooled);
    }
  }
}

}  // namespace dsasim
