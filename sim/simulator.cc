#include "sim/simulator.h"

#include <cassert>

namespace dsasim {

struct Simulator::PooledEvent : Event {
  PooledEvent() : Event(&Simulator::FirePooled) {}
  Simulator* owner = nullptr;
  PooledEvent* next_free = nullptr;
  InlineCallback fn;
};

namespace {
constexpr size_t kPoolChunk = 1024;
}  // namespace

Simulator::Simulator(uint64_t seed) : seed_(seed), rng_(seed) {}

Simulator::~Simulator() = default;

void Simulator::Schedule(Event& e, Tick when) {
  assert(when >= now_);
  queue_.Schedule(e, when);
}

void Simulator::Reschedule(Event& e, Tick when) {
  if (e.scheduled()) queue_.Cancel(e);
  Schedule(e, when);
}

Simulator::PooledEvent* Simulator::AcquirePooled() {
  if (free_list_ == nullptr) {
    pool_chunks_.push_back(std::make_unique<PooledEvent[]>(kPoolChunk));
    PooledEvent* chunk = pool_chunks_.back().get();
    for (size_t i = 0; i < kPoolChunk; ++i) {
      chunk[i].owner = this;
      chunk[i].next_free = free_list_;
      free_list_ = &chunk[i];
    }
  }
  PooledEvent* e = free_list_;
  free_list_ = e->next_free;
  return e;
}

void Simulator::Post(Tick when, InlineCallback fn, EventPriority priority) {
  PooledEvent* e = AcquirePooled();
  e->fn = fn;
  e->set_priority(priority);
  Schedule(*e, when);
}

void Simulator::FirePooled(Event& event) {
  auto& e = static_cast<PooledEvent&>(event);
  InlineCallback fn = e.fn;
  // Return the node first: the callback may post again and reuse it.
  e.next_free = e.owner->free_list_;
  e.owner->free_list_ = &e;
  fn();
}

void Simulator::RunUntil(Tick limit) {
  while (!queue_.empty() && queue_.NextTick() <= limit) {
    Event* e = queue_.Pop();
    now_ = e->when();
    ++events_processed_;
    if (trace_hook_) [[unlikely]] trace_hook_(now_, queue_.last_order());
    e->handler_(*e);
  }
}

}  // namespace dsasim
