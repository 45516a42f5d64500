#include "sim/clock_domain.h"

#include <gtest/gtest.h>

namespace dsasim {
namespace {

TEST(ClockDomain, OneGigahertzCycleIsOneThousandPicoseconds) {
  ClockDomain clk(1e9);
  EXPECT_EQ(clk.ToTicks(Cycles(1)).ps(), 1000);
  EXPECT_EQ(clk.ToTicks(Cycles(4096)).ps(), 4'096'000);
}

TEST(ClockDomain, NonIntegerPeriodsDoNotDriftOverManyCycles) {
  // 1.83 GHz has a 546.448... ps period; rounding the period first would be
  // off by 448 ns after a million cycles.
  ClockDomain clk(1.83e9);
  EXPECT_EQ(clk.ToTicks(Cycles(1'000'000)).ps(), 546'448'087);
}

TEST(ClockDomain, CyclesRoundTripThroughTicks) {
  ClockDomain clk(1.41e9);
  for (int64_t n : {1, 7, 1000, 123457}) {
    EXPECT_EQ(clk.ToCyclesCeil(clk.ToTicks(Cycles(n))).count(), n);
  }
}

TEST(ClockDomain, PartialCycleCountsAsWholeCycle) {
  ClockDomain clk(1e9);
  EXPECT_EQ(clk.ToCyclesCeil(Tick::FromPs(1001)).count(), 2);
}

TEST(ClockDomain, NextEdgeAlignsUpToTheClock) {
  ClockDomain clk(1e9);
  EXPECT_EQ(clk.NextEdge(Tick::FromPs(1500)).ps(), 2000);
  EXPECT_EQ(clk.NextEdge(Tick::FromPs(2000)).ps(), 2000);
}

TEST(ClockDomain, RejectsZeroFrequency) {
  EXPECT_THROW(ClockDomain(0), std::invalid_argument);
}

}  // namespace
}  // namespace dsasim
