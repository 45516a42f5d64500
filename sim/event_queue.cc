#include "sim/event_queue.h"

#include <algorithm>
#include <cassert>

namespace dsasim {

namespace {
constexpr size_t kArity = 4;
constexpr int kPriorityShift = 56;
}  // namespace

Event::~Event() {
  if (queue_ != nullptr && (stamp_ != 0 || stale_entries_ != 0)) {
    queue_->Purge(this);
  }
}

EventQueue::~EventQueue() {
  for (Entry& entry : heap_) {
    entry.event->queue_ = nullptr;
    entry.event->stamp_ = 0;
    entry.event->stale_entries_ = 0;
  }
}

void EventQueue::Schedule(Event& e, Tick when) {
  assert(!e.scheduled());
  uint64_t order = (static_cast<uint64_t>(e.priority_) << kPriorityShift) |
                   next_sequence_++;
  e.stamp_ = order;
  e.when_ = when;
  e.queue_ = this;
  ++live_;
  Push(Entry{when, order, &e});
}

void EventQueue::Cancel(Event& e) {
  assert(e.scheduled() && e.queue_ == this);
  e.stamp_ = 0;
  ++e.stale_entries_;
  --live_;
}

Event* EventQueue::Pop() {
  DropStale();
  assert(!heap_.empty());
  Event* e = heap_.front().event;
  last_order_ = heap_.front().order;
  e->stamp_ = 0;
  --live_;
  RemoveTop();
  return e;
}

void EventQueue::DropStale() {
  while (!heap_.empty() && heap_.front().order != heap_.front().event->stamp_) {
    --heap_.front().event->stale_entries_;
    RemoveTop();
  }
}

void EventQueue::Push(const Entry& entry) {
  size_t i = heap_.size();
  heap_.push_back(entry);
  while (i > 0) {
    size_t parent = (i - 1) / kArity;
    if (!Before(entry, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = entry;
}

void EventQueue::RemoveTop() {
  Entry last = heap_.back();
  heap_.pop_back();
  size_t n = heap_.size();
  if (n == 0) return;
  size_t i = 0;
  while (true) {
    size_t first = i * kArity + 1;
    if (first >= n) break;
    size_t best = first;
    size_t end = std::min(first + kArity, n);
    for (size_t c = first + 1; c < end; ++c) {
      if (Before(heap_[c], heap_[best])) best = c;
    }
    if (!Before(heap_[best], last)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
}

void EventQueue::Purge(Event* e) {
  if (e->stamp_ != 0) --live_;
  auto dead = [e](const Entry& entry) { return entry.event == e; };
  // Rare (an event destroyed while still referenced): rebuild the heap.
  std::vector<Entry> entries;
  entries.swap(heap_);
  entries.erase(std::remove_if(entries.begin(), entries.end(), dead),
                entries.end());
  for (const Entry& entry : entries) Push(entry);
  e->stamp_ = 0;
  e->stale_entries_ = 0;
  e->queue_ = nullptr;
}

}  // namespace dsasim
