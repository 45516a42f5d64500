#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace dsasim {
namespace {

struct Recorder {
  std::vector<int> fired;
};

struct TaggedEvent : Event {
  TaggedEvent(Recorder* r, int tag, EventPriority p = EventPriority::kDefault)
      : Event(&Fire, p), recorder(r), tag(tag) {}
  static void Fire(Event& e) {
    auto& self = static_cast<TaggedEvent&>(e);
    self.recorder->fired.push_back(self.tag);
  }
  Recorder* recorder;
  int tag;
};

void Drain(EventQueue& q) {
  while (!q.empty()) {
    Event* e = q.Pop();
    TaggedEvent::Fire(*e);
  }
}

TEST(EventQueue, EarlierTicksFireFirst) {
  Recorder r;
  EventQueue q;
  TaggedEvent a(&r, 1), b(&r, 2), c(&r, 3);
  q.Schedule(c, Tick::FromPs(30));
  q.Schedule(a, Tick::FromPs(10));
  q.Schedule(b, Tick::FromPs(20));
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{1, 2, 3}));
}

TEST(EventQueue, SameTickOrdersByPriorityThenInsertion) {
  Recorder r;
  EventQueue q;
  TaggedEvent issue(&r, 1, EventPriority::kIssue);
  TaggedEvent dflt1(&r, 2), dflt2(&r, 3);
  TaggedEvent done(&r, 4, EventPriority::kCompletion);
  Tick t = Tick::FromPs(5);
  q.Schedule(issue, t);
  q.Schedule(dflt1, t);
  q.Schedule(dflt2, t);
  q.Schedule(done, t);
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{4, 2, 3, 1}));
}

TEST(EventQueue, CancelledEventDoesNotFire) {
  Recorder r;
  EventQueue q;
  TaggedEvent a(&r, 1), b(&r, 2);
  q.Schedule(a, Tick::FromPs(1));
  q.Schedule(b, Tick::FromPs(2));
  q.Cancel(a);
  EXPECT_FALSE(a.scheduled());
  EXPECT_EQ(q.live_size(), 1u);
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{2}));
}

TEST(EventQueue, CancelThenRescheduleFiresOnceAtNewTime) {
  Recorder r;
  EventQueue q;
  TaggedEvent a(&r, 1), b(&r, 2);
  q.Schedule(a, Tick::FromPs(1));
  q.Schedule(b, Tick::FromPs(5));
  q.Cancel(a);
  q.Schedule(a, Tick::FromPs(9));
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{2, 1}));
}

TEST(EventQueue, DestroyingACancelledEventPurgesItsStaleEntry) {
  Recorder r;
  EventQueue q;
  TaggedEvent keep(&r, 1);
  {
    auto doomed = std::make_unique<TaggedEvent>(&r, 2);
    q.Schedule(*doomed, Tick::FromPs(1));
    q.Cancel(*doomed);
  }
  q.Schedule(keep, Tick::FromPs(2));
  Drain(q);  // must not touch the destroyed event
  EXPECT_EQ(r.fired, (std::vector<int>{1}));
}

TEST(EventQueue, ManyEventsComeOutSorted) {
  Recorder r;
  EventQueue q;
  std::vector<std::unique_ptr<TaggedEvent>> events;
  uint64_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    events.push_back(std::make_unique<TaggedEvent>(&r, i));
    q.Schedule(*events.back(), Tick::FromPs(static_cast<int64_t>(x >> 40)));
  }
  Tick last;
  while (!q.empty()) {
    Tick t = q.NextTick();
    EXPECT_LE(last, t);
    last = t;
    q.Pop();
  }
}

}  // namespace
}  // namespace dsasim
