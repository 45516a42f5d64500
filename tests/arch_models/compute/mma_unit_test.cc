#include "arch_models/compute/mma_unit.h"

#include <gtest/gtest.h>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

TEST(MmaUnit, AFullRateTileRunsAtPeakPlusTheFillLatency) {
  MmaUnit tc(1024, 4, 64, 8, 16, 1.0, /*pipeline_latency_cycles=*/0);
  const GemmShape tile{.m = 128, .n = 128, .k = 64};
  EXPECT_DOUBLE_EQ(tc.Cycles(tile, 1.0), 2.0 * 128 * 128 * 64 / (1024 * 4));

  MmaUnit with_latency(1024, 4, 64, 8, 16, 1.0);
  EXPECT_DOUBLE_EQ(with_latency.Cycles(tile, 1.0),
                   tc.Cycles(tile, 1.0) + MmaUnit::kDefaultPipelineLatencyCycles);
}

TEST(MmaUnit, ATileSmallerThanTheMinimumCostsAsMuchAsTheMinimum) {
  MmaUnit tc(1024, 4, 64, 8, 16, 0.9);
  EXPECT_DOUBLE_EQ(tc.Cycles({1, 1, 1}, 1.0), tc.Cycles({64, 8, 16}, 1.0));
  EXPECT_DOUBLE_EQ(tc.Cycles({65, 8, 16}, 1.0) - tc.pipeline_latency_cycles(),
                   2 * (tc.Cycles({64, 8, 16}, 1.0) - tc.pipeline_latency_cycles()));
}

TEST(MmaUnit, AnFp8MultiplierOfTwoHalvesTheComputeTime) {
  MmaUnit tc(1024, 4, 64, 8, 16, 0.8);
  const GemmShape tile{.m = 256, .n = 256, .k = 256};
  const double latency = tc.pipeline_latency_cycles();
  EXPECT_DOUBLE_EQ(tc.Cycles(tile, 2.0) - latency, (tc.Cycles(tile, 1.0) - latency) / 2);
}

TEST(MmaUnit, EfficiencyBelowOneStretchesTimeAndNeverBeatsPeak) {
  MmaUnit ideal(1024, 4, 64, 8, 16, 1.0, 0);
  MmaUnit real(1024, 4, 64, 8, 16, 0.5, 0);
  const GemmShape tile{.m = 512, .n = 512, .k = 512};
  EXPECT_DOUBLE_EQ(real.Cycles(tile, 1.0), 2 * ideal.Cycles(tile, 1.0));
}

TEST(MmaUnit, RejectsNonPositiveParametersAndEfficiencyAboveOne) {
  EXPECT_THROW(MmaUnit(0, 4, 64, 8, 16, 1.0), ConfigError);
  EXPECT_THROW(MmaUnit(1024, 4, 64, 8, 16, 1.5), ConfigError);
  MmaUnit tc(1024, 4, 64, 8, 16, 1.0);
  EXPECT_THROW(tc.Cycles({8, 8, 8}, 0.0), ConfigError);
}

}  // namespace
}  // namespace dsasim::arch
