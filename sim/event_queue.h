// File: sim/event_queue.h
//
// The pending-event set: a 4-ary min-heap of (tick, order, event) entries
// kept by value, so comparisons never touch the events themselves.
// Cancellation is lazy: a cancelled entry stays in the heap and is dropped
// when it reaches the top (its order no longer matches the event's stamp).
// That keeps schedule and pop free of index bookkeeping, which is what makes
// the kernel fast; an event destroyed while stale entries remain purges them.
//
// Contract:
//   1. Pop() returns events in (tick, priority, sequence) order.
//   2. An event is in the queue at most once as a live entry.
//   3. No allocation per operation once the heap has grown to its peak size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/event.h"

namespace dsasim {

class EventQueue {
 public:
  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue();

  // REQUIRES: !e.scheduled().
  void Schedule(Event& e, Tick when);
  // REQUIRES: e.scheduled() and e belongs to this queue.
  void Cancel(Event& e);

  bool empty() { DropStale(); return heap_.empty(); }
  // REQUIRES: !empty().
  Tick NextTick() { DropStale(); return heap_.front().when; }
  // Removes and returns the next live event, already marked unscheduled.
  // REQUIRES: !empty().
  Event* Pop();
  // Order key, (priority << 56) | sequence, of the entry Pop() last returned.
  uint64_t last_order() const { return last_order_; }

  size_t live_size() const { return live_; }
  // Sequence number given to the next scheduled entry; the total count of
  // schedules so far.
  uint64_t sequence() const { return next_sequence_; }

 private:
  friend class Event;
  struct Entry {
    Tick when;
    uint64_t order;
    Event* event;
  };
  static bool Before(const Entry& a, const Entry& b) {
    return a.when < b.when || (a.when == b.when && a.order < b.order);
  }
  void Push(const Entry& entry);
  void RemoveTop();
  void DropStale();
  void Purge(Event* e);

  std::vector<Entry> heap_;
  uint64_t next_sequence_ = 1;
  size_t live_ = 0;
  uint64_t last_order_ = 0;
};

}  // namespace dsasim
