// File: sim/event_queue.h
//
// The pending-event set: a radix heap over ticks (radix 256), with a small
// binary heap in front for same-tick order.
//
// Example:
//   EventQueue q;
//   q.Schedule(e, Tick::FromPs(10));
//   while (Event* next = q.PopUntil(limit)) Fire(*next);  // as Simulator does
//
// Why a radix heap: a comparison heap pays log(n) data-dependent branches per
// pop, about half of them mispredicted (8 per event with 4k pending events in
// PHOLD), and that was most of the kernel's time. Ticks a simulator hands out
// never go below the tick last popped, which is all a radix heap needs. Keys
// are split into eight 8-bit digits; an entry is filed under the highest
// digit in which its tick differs from `last_` (the least tick of the last
// refill) and under that digit's value. Schedule computes the bucket and
// appends; a pop that finds the front heap empty takes the first non-empty
// bucket of the lowest level, and either moves it to the front heap (level 0:
// one tick) or re-files it relative to its least tick, one level down or
// more. A PHOLD delay (~10 ns = 10^4 ps) descends one or two levels, so an
// entry is copied two or three times, by appends with no data-dependent
// branch. (Radix 2, one bucket per bit, copied each entry ~6.5 times.)
//
// Same-tick order (priority, sequence) is kept by `front_`, a binary heap on
// the full key holding every entry whose tick is <= last_. Entries scheduled
// below last_ (possible when RunUntil stopped after looking ahead, or when
// the queue is used directly) go there too; they precede every bucketed
// entry, so the order is exact for any schedule pattern.
//
// Buckets are chains of fixed-size chunks from one free list, not vectors:
// as time advances every bucket of a level takes its turn holding most of
// the pending events, and vectors keeping their peak capacity grew RSS from
// 12 to 30 MiB over a 20 M event run. Chunks go back to the free list when a
// bucket is emptied (each bucket keeps one), so memory stays within
// (pending entries / kChunkEntries + buckets) chunks.
//
// Cancellation is lazy: a cancelled entry stays where it is and is dropped
// when it reaches the front (its order no longer matches the event's stamp).
// That keeps Schedule free of index bookkeeping; an event destroyed while
// entries still point at it purges them (rare, linear).
//
// Contract:
//   1. Pops return events in (tick, priority, sequence) order.
//   2. An event is in the queue at most once as a live entry.
//   3. No allocation per operation once the chunk pool has grown to the peak
//      number of pending entries.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/event.h"

namespace dsasim {

class EventQueue {
 public:
  EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue();

  // REQUIRES: !e.scheduled().
  void Schedule(Event& e, Tick when) {
    uint64_t order =
        (static_cast<uint64_t>(e.priority_) << kPriorityShift) | next_sequence_++;
    e.stamp_ = order;
    e.when_ = when;
    e.queue_ = this;
    ++live_;
    Insert(Entry{Key(when), order, &e});
  }
  // REQUIRES: e.scheduled() and e belongs to this queue.
  void Cancel(Event& e) {
    e.stamp_ = 0;
    ++e.stale_entries_;
    --live_;
  }

  bool empty() { return !Settle(); }
  // REQUIRES: !empty().
  Tick NextTick() {
    Settle();
    return front_[0].event->when_;
  }
  // Removes and returns the next live event, already marked unscheduled.
  // REQUIRES: !empty().
  Event* Pop() { return PopUntil(Tick::Max()); }
  // Pop() if the next live event's tick is <= limit; otherwise nullptr and
  // nothing is removed. One call per event: the simulator loop needs no
  // separate empty() and NextTick() look-ups.
  Event* PopUntil(Tick limit) {
    if (!Settle() || front_[0].key > Key(limit)) return nullptr;
    Event* e = front_[0].event;
    last_order_ = front_[0].order;
    e->stamp_ = 0;
    --live_;
    PopFront();
    return e;
  }
  // Order key, (priority << 56) | sequence, of the entry Pop() last returned.
  uint64_t last_order() const { return last_order_; }

  size_t live_size() const { return live_; }
  // Sequence number given to the next scheduled entry; the total count of
  // schedules so far.
  uint64_t sequence() const { return next_sequence_; }

 private:
  friend class Event;
  static constexpr int kPriorityShift = 56;
  static constexpr int kDigitBits = 8;
  static constexpr int kDigits = 1 << kDigitBits;
  static constexpr int kLevels = 64 / kDigitBits;
  static constexpr int kBuckets = kLevels * kDigits;
  static constexpr int kWords = kDigits / 64;
  static constexpr int kChunkEntries = 8;

  struct Entry {
    // Tick with its sign bit flipped, so unsigned order is tick order.
    uint64_t key;
    uint64_t order;
    Event* event;
  };
  struct Chunk {
    // Header first: appending to a bucket of one or two entries (the usual
    // level-0 case) then touches one cache line, not two.
    uint32_t size = 0;
    Chunk* next = nullptr;  // the rest of the bucket, or of the free list
    Entry entries[kChunkEntries];
  };
  struct Bucket {
    // Partly filled; full chunks hang below it. &full_ until first used,
    // so a queue costs only the chunks its buckets have needed.
    Chunk* top;
    uint64_t least = ~uint64_t{0};  // least key, so a refill reads once
  };

  static uint64_t Key(Tick t) {
    return static_cast<uint64_t>(t.ps()) ^ (uint64_t{1} << 63);
  }
  // (key, order) as one 128-bit compare: one branch instead of two.
  static bool Before(const Entry& a, const Entry& b) {
    using U128 = unsigned __int128;
    return ((U128{a.key} << 64) | a.order) < ((U128{b.key} << 64) | b.order);
  }

  void Insert(const Entry& entry) {
    if (entry.key <= last_) {
      PushFront(entry);
      return;
    }
    Append(entry, last_);
  }
  // Files `entry` (key >= base) under the highest digit in which its key
  // differs from `base`. A key equal to base lands in level 0 under base's
  // own digit, a bucket no key above base uses; the next refill takes it
  // from there. That keeps this path free of data-dependent branches.
  void Append(const Entry& entry, uint64_t base) {
    // Highest differing bit; `| 1` keeps the bit scan defined for equal keys
    // (and avoids the zero test that libstdc++'s std::bit_width adds when
    // lzcnt is not assumed: a mispredicted branch per entry).
    unsigned high_bit =
        63u ^ static_cast<unsigned>(__builtin_clzll((entry.key ^ base) | 1));
    unsigned level = high_bit / kDigitBits;
    unsigned digit =
        static_cast<unsigned>(entry.key >> (level * kDigitBits)) & (kDigits - 1);
    Bucket& bucket = buckets_[level * kDigits + digit];
    Chunk* top = bucket.top;
    // An unused bucket points at full_, so one test covers both cases.
    if (top->size == kChunkEntries) [[unlikely]]
      top = PushChunk(bucket);
    top->entries[top->size++] = entry;
    bucket.least = entry.key < bucket.least ? entry.key : bucket.least;
    unsigned word = level * kWords + digit / 64;
    occupied_[word] |= uint64_t{1} << (digit % 64);
    occupied_words_ |= 1u << word;
  }
  // Leaves a live entry on top of front_; false when no live entry remains.
  bool Settle() {
    if (!front_.empty() && front_[0].order == front_[0].event->stamp_) {
      return true;
    }
    return SettleSlow();
  }
  bool SettleSlow();
  // Inlined into SettleSlow, its one caller: it runs for most pops, and the
  // call's register saves were ~2% of the instructions per event.
  [[gnu::always_inline]] inline void Refill();
  // Puts a fresh chunk on top of `bucket`; returns it.
  Chunk* PushChunk(Bucket& bucket);
  // front_ almost always holds zero or one entry; those cases stay inline.
  void PushFront(const Entry& entry) {
    if (front_.empty()) {
      front_.push_back(entry);
    } else {
      SiftUpFront(entry);
    }
  }
  void PopFront() {
    if (front_.size() == 1) {
      front_.pop_back();
    } else {
      SiftDownFront();
    }
  }
  void SiftUpFront(const Entry& entry);
  void SiftDownFront();
  void Purge(Event* e);
  template <typename F>
  void ForEachBucketed(F&& f);

  // Binary min-heap of every entry with key <= last_ (usually 0-2 entries).
  std::vector<Entry> front_;
  // buckets_[level * kDigits + d] holds the entries whose key agrees with
  // last_ above digit `level` and has digit `level` equal to d (above
  // last_'s, or equal to it in level 0 only while staged). Every entry of a
  // bucket precedes every entry of a later bucket in the same level and of
  // every higher level.
  std::unique_ptr<Bucket[]> buckets_;
  // Stand-in top chunk of every bucket never used: it reads as full, and is
  // never written or walked.
  Chunk full_;
  // One bit per non-empty bucket, kWords words per level, and one bit per
  // non-zero word. Bucket order (level, digit) is bit order, so the lowest
  // set bits find the next bucket without a search.
  std::array<uint64_t, kLevels * kWords> occupied_{};
  uint32_t occupied_words_ = 0;
  static_assert(kLevels * kWords <= 32);
  // Key the buckets are relative to: the least key of the last refill,
  // never below Key(Tick 0) (earlier ticks go to front_), never decreasing.
  uint64_t last_ = Key(Tick());
  Chunk* free_chunks_ = nullptr;
  std::vector<std::unique_ptr<Chunk[]>> chunk_blocks_;
  uint64_t next_sequence_ = 1;
  size_t live_ = 0;
  uint64_t last_order_ = 0;
};

}  // namespace dsasim
