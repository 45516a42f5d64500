#include "sim/simulator.h"

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

void Simulator::RunUntil(Tick limit) {
  while (Event* e = queue_.PopUntil(limit)) {
    now_ = e->when();
    ++events_processed_;
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
