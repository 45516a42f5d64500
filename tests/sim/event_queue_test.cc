#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <tuple>
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

TEST(EventQueue, DestroyingAScheduledEventRemovesItFromEveryLevel) {
  Recorder r;
  EventQueue q;
  std::vector<std::unique_ptr<TaggedEvent>> events;
  // Ticks spread over several radix levels and the same tick, so live
  // entries sit in front, in level 0 and in higher levels when one dies.
  const int64_t ticks[] = {5, 5, 300, 70'000, 1 << 20, 1LL << 40, 6};
  for (int i = 0; i < 7; ++i) {
    events.push_back(std::make_unique<TaggedEvent>(&r, i));
    q.Schedule(*events.back(), Tick::FromPs(ticks[i]));
  }
  ASSERT_EQ(q.NextTick(), Tick::FromPs(5));  // pulls tick 5 to the front
  events[1].reset();                         // in front
  events[3].reset();                         // bucketed
  EXPECT_EQ(q.live_size(), 5u);
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{0, 6, 2, 4, 5}));
}

TEST(EventQueue, ScheduleBelowALookedAheadTickStillFiresFirst) {
  // NextTick() may advance the queue's internal base to a later tick; an
  // event scheduled between the last pop and that tick must still come
  // first, and same-tick priority must hold against it.
  Recorder r;
  EventQueue q;
  TaggedEvent late(&r, 1), cancelled(&r, 2), early(&r, 3);
  TaggedEvent urgent(&r, 4, EventPriority::kCompletion);
  q.Schedule(late, Tick::FromPs(1000));
  q.Schedule(cancelled, Tick::FromPs(500));
  q.Cancel(cancelled);
  EXPECT_EQ(q.NextTick(), Tick::FromPs(1000));
  q.Schedule(early, Tick::FromPs(700));
  q.Schedule(urgent, Tick::FromPs(1000));
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{3, 4, 1}));
}

TEST(EventQueue, NegativeTicksOrderBeforeZero) {
  Recorder r;
  EventQueue q;
  TaggedEvent a(&r, 1), b(&r, 2), c(&r, 3);
  q.Schedule(a, Tick::FromPs(0));
  q.Schedule(b, Tick::FromPs(-7));
  q.Schedule(c, Tick::FromPs(-900));
  Drain(q);
  EXPECT_EQ(r.fired, (std::vector<int>{3, 2, 1}));
}

// Randomized check against a reference model: a std::multimap keyed by the
// documented total order (tick, priority, sequence). 100k operations mix
// schedule, cancel, reschedule, pop, look-ahead, limited pops and
// destruction of scheduled or cancelled events, with delays from zero (same
// tick) to 2^40 ps so that every radix level and the front heap are used.
TEST(EventQueue, RandomOperationsMatchAMultimapModel) {
  using Key = std::tuple<int64_t, int, uint64_t>;
  constexpr int kEvents = 300;
  constexpr int kOperations = 100'000;
  constexpr EventPriority kPriorities[] = {EventPriority::kCompletion,
                                           EventPriority::kDefault, EventPriority::kIssue,
                                           EventPriority::kStatistics};

  Recorder r;
  EventQueue q;
  std::multimap<Key, int> model;
  std::vector<std::unique_ptr<TaggedEvent>> events(kEvents);
  std::vector<std::multimap<Key, int>::iterator> where(kEvents, model.end());
  for (int i = 0; i < kEvents; ++i) {
    events[i] = std::make_unique<TaggedEvent>(&r, i);
  }
  std::mt19937_64 rng(2024);
  auto uniform = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int64_t now = 0;
  auto draw_tick = [&]() -> int64_t {
    switch (uniform(0, 9)) {
      case 0:
        return now;  // same tick
      case 1:
        return now + uniform(0, 3);
      case 2:
        return now + uniform(0, 300);
      case 3:
        return now + uniform(0, 100'000);
      case 4:
        return now + uniform(0, int64_t{1} << 40);  // far levels
      case 5:
        return uniform(-1000, now);  // in the past
      default:
        return now + uniform(0, 20'000);
    }
  };
  auto schedule = [&](int i) {
    TaggedEvent& e = *events[i];
    e.set_priority(kPriorities[uniform(0, 3)]);
    int64_t tick = draw_tick();
    Key key{tick, static_cast<int>(e.priority()), q.sequence()};
    q.Schedule(e, Tick::FromPs(tick));
    where[i] = model.emplace(key, i);
  };
  auto cancel = [&](int i) {
    q.Cancel(*events[i]);
    model.erase(where[i]);
    where[i] = model.end();
  };
  auto pop_and_check = [&]() {
    ASSERT_FALSE(model.empty());
    auto expected = model.begin();
    Event* e = q.Pop();
    auto [tick, priority, sequence] = expected->first;
    ASSERT_EQ(e, events[expected->second].get());
    ASSERT_EQ(e->when().ps(), tick);
    ASSERT_EQ(q.last_order(), (static_cast<uint64_t>(priority) << 56) | sequence);
    ASSERT_FALSE(e->scheduled());
    now = std::max(now, tick);
    where[expected->second] = model.end();
    model.erase(expected);
  };

  for (int op = 0; op < kOperations; ++op) {
    int i = static_cast<int>(uniform(0, kEvents - 1));
    bool scheduled = events[i]->scheduled();
    ASSERT_EQ(scheduled, where[i] != model.end());
    switch (uniform(0, 11)) {
      case 0:
      case 1:
      case 2:
      case 3:
        if (!scheduled) schedule(i);
        break;
      case 4:
        if (scheduled) cancel(i);
        break;
      case 5:  // reschedule
        if (scheduled) cancel(i);
        schedule(i);
        break;
      case 6:
      case 7:
      case 8:
        if (!model.empty()) pop_and_check();
        break;
      case 9:  // look ahead, as RunUntil does before stopping
        ASSERT_EQ(q.empty(), model.empty());
        if (!model.empty()) {
          ASSERT_EQ(q.NextTick().ps(), std::get<0>(model.begin()->first));
        }
        break;
      case 10: {  // pop everything up to a limit
        int64_t limit = now + uniform(0, 2'000);
        while (Event* e = q.PopUntil(Tick::FromPs(limit))) {
          ASSERT_FALSE(model.empty());
          ASSERT_EQ(e, events[model.begin()->second].get());
          now = std::max(now, e->when().ps());
          where[model.begin()->second] = model.end();
          model.erase(model.begin());
        }
        ASSERT_TRUE(model.empty() || std::get<0>(model.begin()->first) > limit);
        break;
      }
      case 11:  // destroy it (scheduled or with stale entries) and replace
        if (scheduled) {
          model.erase(where[i]);
          where[i] = model.end();
        }
        events[i] = std::make_unique<TaggedEvent>(&r, i);
        break;
    }
    ASSERT_EQ(q.live_size(), model.size());
  }
  while (!model.empty()) pop_and_check();
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace dsasim
