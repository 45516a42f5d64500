#include "sim/event_queue.h"

#include <algorithm>

namespace dsasim {

namespace {
// Chunks are allocated this many at a time.
constexpr size_t kChunkBlock = 256;
}  // namespace

Event::~Event() {
  if (queue_ != nullptr && (stamp_ != 0 || stale_entries_ != 0)) {
    queue_->Purge(this);
  }
}

EventQueue::EventQueue() : buckets_(std::make_unique<Bucket[]>(kBuckets)) {
  full_.size = kChunkEntries;
  for (int index = 0; index < kBuckets; ++index) buckets_[index].top = &full_;
  front_.reserve(16);
}

EventQueue::~EventQueue() {
  auto detach = [](Entry& entry) {
    entry.event->queue_ = nullptr;
    entry.event->stamp_ = 0;
    entry.event->stale_entries_ = 0;
  };
  for (Entry& entry : front_) detach(entry);
  ForEachBucketed(detach);
}

template <typename F>
void EventQueue::ForEachBucketed(F&& f) {
  for (int index = 0; index < kBuckets; ++index) {
    Chunk* top = buckets_[index].top;
    if (top == &full_) continue;
    for (Chunk* c = top; c != nullptr; c = c->next) {
      for (uint32_t i = 0; i < c->size; ++i) f(c->entries[i]);
    }
  }
}

// REQUIRES: front_ is empty and some bucket is not. Takes the first bucket
// of the lowest level. In level 0 all its keys are equal: they go to front_.
// Higher up, its least key becomes last_ and its entries are re-filed
// relative to it; all of them agree with it from this level up, so they land
// in lower levels, never in this bucket.
inline void EventQueue::Refill() {
  int word = __builtin_ctz(occupied_words_);
  int level = word / kWords;
  int digit = (word % kWords) * 64 + __builtin_ctzll(occupied_[word]);
  Bucket& bucket = buckets_[level * kDigits + digit];
  uint64_t least = bucket.least;
  last_ = least;
  Chunk* top = bucket.top;
  // Level 0 is one tick: its entries go to front_ in (priority, sequence)
  // order. Above, they are re-filed relative to the new last_.
  if (level == 0) {
    for (Chunk* c = top; c != nullptr; c = c->next) {
      for (uint32_t i = 0; i < c->size; ++i) PushFront(c->entries[i]);
    }
  } else {
    for (Chunk* c = top; c != nullptr; c = c->next) {
      for (uint32_t i = 0; i < c->size; ++i) Append(c->entries[i], least);
    }
  }
  // The bucket keeps its top chunk for its next use; the rest are freed.
  if (top->next != nullptr) {
    Chunk* last = top->next;
    while (last->next != nullptr) last = last->next;
    last->next = free_chunks_;
    free_chunks_ = top->next;
  }
  top->size = 0;
  top->next = nullptr;
  bucket.least = ~uint64_t{0};
  occupied_[word] &= occupied_[word] - 1;  // clears the bucket's bit
  if (occupied_[word] == 0) occupied_words_ &= ~(1u << word);
}

bool EventQueue::SettleSlow() {
  while (true) {
    while (!front_.empty()) {
      Entry& top = front_[0];
      if (top.order == top.event->stamp_) return true;
      --top.event->stale_entries_;
      PopFront();
    }
    if (occupied_words_ == 0) return false;
    Refill();
  }
}

EventQueue::Chunk* EventQueue::PushChunk(Bucket& bucket) {
  if (free_chunks_ == nullptr) {
    chunk_blocks_.push_back(std::make_unique<Chunk[]>(kChunkBlock));
    Chunk* block = chunk_blocks_.back().get();
    for (size_t i = 0; i < kChunkBlock; ++i) {
      block[i].next = free_chunks_;
      free_chunks_ = &block[i];
    }
  }
  Chunk* c = free_chunks_;
  free_chunks_ = c->next;
  c->size = 0;
  c->next = bucket.top == &full_ ? nullptr : bucket.top;
  bucket.top = c;
  return c;
}

void EventQueue::SiftUpFront(const Entry& entry) {
  size_t i = front_.size();
  front_.push_back(entry);
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!Before(entry, front_[parent])) break;
    front_[i] = front_[parent];
    i = parent;
  }
  front_[i] = entry;
}

void EventQueue::SiftDownFront() {
  Entry last = front_.back();
  front_.pop_back();
  size_t n = front_.size();
  if (n == 0) return;
  size_t i = 0;
  while (true) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && Before(front_[child + 1], front_[child])) ++child;
    if (!Before(front_[child], last)) break;
    front_[i] = front_[child];
    i = child;
  }
  front_[i] = last;
}

// Rare (an event destroyed while entries still point at it), so simple:
// take every other entry out and file it again relative to the same last_.
void EventQueue::Purge(Event* e) {
  if (e->stamp_ != 0) --live_;
  auto dead = [e](const Entry& entry) { return entry.event == e; };
  std::vector<Entry> keep;
  ForEachBucketed([&](const Entry& entry) {
    if (!dead(entry)) keep.push_back(entry);
  });
  for (int index = 0; index < kBuckets; ++index) {
    Bucket& bucket = buckets_[index];
    if (bucket.top != &full_) {
      while (bucket.top != nullptr) {
        Chunk* c = bucket.top;
        bucket.top = c->next;
        c->next = free_chunks_;
        free_chunks_ = c;
      }
      bucket.top = &full_;
    }
    bucket.least = ~uint64_t{0};
  }
  occupied_.fill(0);
  occupied_words_ = 0;
  for (const Entry& entry : keep) Append(entry, last_);
  front_.erase(std::remove_if(front_.begin(), front_.end(), dead), front_.end());
  std::make_heap(front_.begin(), front_.end(),
                 [](const Entry& a, const Entry& b) { return Before(b, a); });
  e->stamp_ = 0;
  e->stale_entries_ = 0;
  e->queue_ = nullptr;
}

}  // namespace dsasim
