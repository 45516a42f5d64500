// File: sim/event.h
//
// An event is something that happens at a tick. Components own their events
// as members and schedule them again and again; nothing is allocated per
// firing (gem5's member-event idiom). One-shot work with a small payload uses
// Simulator::Post, which draws from a pool.
//
// Example:
//   class Engine {
//    public:
//     explicit Engine(Simulator& sim) : sim_(sim), done_(this) {}
//     void Start(Tick busy) { sim_.ScheduleAfter(done_, busy); }
//    private:
//     void Finish();
//     Simulator& sim_;
//     MemberEvent<Engine, &Engine::Finish> done_{this};
//   };
//
// Order: events fire by (tick, priority, insertion sequence) — a total order,
// so the same inputs always produce the same event sequence.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace dsasim {

class EventQueue;

// Same-tick tie breaking. Lower fires first.
enum class EventPriority : uint8_t {
  // Work that ends frees its engine, buffer or channel before anything new
  // tries to start in the same tick, so a resource freed at t is usable at t.
  kCompletion = 10,
  kDefault = 50,
  // Issue of new work sees every completion of this tick.
  kIssue = 60,
  // Samplers and progress reports see the settled state of a tick.
  kStatistics = 90,
};

class Event {
 public:
  using Handler = void (*)(Event&);

  // REQUIRES: handler != nullptr (null marks the simulator's own pooled
  // events).
  explicit Event(Handler handler, EventPriority priority = EventPriority::kDefault)
      : handler_(handler), priority_(priority) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event();

  bool scheduled() const { return stamp_ != 0; }
  Tick when() const { return when_; }
  EventPriority priority() const { return priority_; }
  void set_priority(EventPriority p) { priority_ = p; }

 private:
  friend class EventQueue;
  friend class Simulator;
  Handler handler_;
  Tick when_;
  // Order key of the live queue entry: (priority << 56) | sequence; 0 when
  // the event is not scheduled.
  uint64_t stamp_ = 0;
  // Cancelled entries still in the queue that point here (lazy removal).
  uint32_t stale_entries_ = 0;
  EventPriority priority_;
  EventQueue* queue_ = nullptr;
};

// An event that calls `(owner->*Method)()`.
template <typename T, void (T::*Method)()>
class MemberEvent : public Event {
 public:
  explicit MemberEvent(T* owner, EventPriority priority = EventPriority::kDefault)
      : Event(&Thunk, priority), owner_(owner) {}

 private:
  static void Thunk(Event& e) {
    auto& self = static_cast<MemberEvent&>(e);
    (self.owner_->*Method)();
  }
  T* owner_;
};

}  // namespace dsasim
