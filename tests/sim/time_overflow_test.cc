#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/simulator.h"
#include "sim/time.h"
#include "sim/utilization_timeline.h"

namespace dsasim {
namespace {

TEST(Tick, ADurationPastTheHorizonThrowsInsteadOfWrapping) {
  EXPECT_NO_THROW(Tick::FromSeconds(1e6));                  // 11.6 days
  EXPECT_THROW(Tick::FromSeconds(1e7), TimeOverflowError);  // 116 days
  EXPECT_THROW(Tick::FromSeconds(1.0 / 0.0), TimeOverflowError);
  EXPECT_THROW(Tick::FromSeconds(std::nan("")), TimeOverflowError);
  EXPECT_THROW(Tick::FromNs(1e30), TimeOverflowError);
}

TEST(Tick, AProductOrAnEventPastTheHorizonThrows) {
  const Tick big = Tick::FromPs(Tick::kHorizonPs);
  EXPECT_THROW(big * 4, TimeOverflowError);  // 2^63 wraps int64
  EXPECT_NO_THROW(Tick::CheckHorizon(big));
  EXPECT_THROW(Tick::CheckHorizon(big + Tick::FromPs(1)), TimeOverflowError);
  // Sums are checked where they land: an event scheduled past the horizon.
  Simulator sim;
  EXPECT_THROW(sim.Post(big + big, [] {}), TimeOverflowError);
}

// The hang of issue 14: Grow doubled the bucket width until width × buckets
// covered the end, and that product overflowed for ends near 2^63, so the
// loop never ended (launch_overhead=1e6s, dma.bandwidth=1B/s).
TEST(UtilizationTimeline, AnIntervalNearTheHorizonGrowsTheBucketsWithoutOverflow) {
  UtilizationTimeline timeline(512);
  int c = timeline.AddComponent("dma", 1);
  const Tick end = Tick::FromPs(Tick::kHorizonPs);
  timeline.AddBusy(c, end - Tick::FromSeconds(1), end);
  EXPECT_DOUBLE_EQ(timeline.total_busy_ps(c), 1e12);
  std::vector<TimelineRecord> rows = timeline.Rows(end);
  ASSERT_FALSE(rows.empty());
  EXPECT_LE(rows.size(), 512u);
  EXPECT_EQ(rows.back().end_ps, end.ps());
}

TEST(UtilizationTimeline, AnIntervalPastTheHorizonIsAnErrorNotACrash) {
  UtilizationTimeline timeline(512);
  int c = timeline.AddComponent("tensor", 1);
  EXPECT_THROW(timeline.AddBusy(c, Tick(), Tick::FromPs(Tick::kHorizonPs + 1)),
               TimeOverflowError);
}

}  // namespace
}  // namespace dsasim
