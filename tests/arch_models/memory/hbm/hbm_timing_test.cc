#include "arch_models/memory/hbm/hbm_timing.h"

#include <gtest/gtest.h>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

TEST(HbmTimingPreset, Hbm2MatchesRamulator2Hbm2At2000Mbps) {
  const HbmTiming& t = HbmTimingPreset("HBM2");
  EXPECT_EQ(t.tCK_ps, 1000);
  EXPECT_EQ(t.nCL, 14);
  EXPECT_EQ(t.nRCD_RD, 14);
  EXPECT_EQ(t.nRCD_WR, 12);
  EXPECT_EQ(t.nRP, 14);
  EXPECT_EQ(t.nRAS, 34);
  EXPECT_EQ(t.nRC, 48);
  EXPECT_EQ(t.nCCD_S, 2);
  EXPECT_EQ(t.nCCD_L, 4);
  EXPECT_EQ(t.nFAW, 15);
  EXPECT_EQ(t.nRFC, 260);
  EXPECT_EQ(t.nREFI, 3900);
  EXPECT_FALSE(t.derived);
}

TEST(HbmTimingPreset, Hbm3MatchesRamulator2Hbm3At6400MbpsWith350nsRefresh) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  EXPECT_EQ(t.tCK_ps, 625);
  EXPECT_EQ(t.nCL, 20);
  EXPECT_EQ(t.nRCD_RD, 31);
  EXPECT_EQ(t.nRCD_WR, 15);
  EXPECT_EQ(t.nRP, 26);
  EXPECT_EQ(t.nRC, 72);
  EXPECT_EQ(t.nFAW, 24);
  EXPECT_EQ(t.nREFI, 6240);
  EXPECT_DOUBLE_EQ(t.nRFC * t.tCK_ps, 350'000);
}

TEST(HbmTimingPreset, EveryPresetMovesThirtyTwoBytesPerBurstAndMatchesStackPeak) {
  for (const HbmTiming& t : HbmTimingPresets()) {
    EXPECT_EQ(t.BurstBytes(), 32) << t.name;
  }
  // Per-stack peaks of component_refs §4.4: 8 × 128 b channels on HBM2,
  // 16 × 64 b on HBM3.
  EXPECT_DOUBLE_EQ(8 * HbmTimingPreset("HBM2").ChannelPeakBandwidth(), 256e9);
  EXPECT_DOUBLE_EQ(16 * HbmTimingPreset("HBM3").ChannelPeakBandwidth(), 819.2e9);
  EXPECT_NEAR(16 * HbmTimingPreset("HBM3E").ChannelPeakBandwidth(), 1228.8e9, 1e3);
}

TEST(HbmTimingPreset, DerivedPresetsKeepNanosecondsAndBurstCycles) {
  const HbmTiming& base = HbmTimingPreset("HBM3");
  const HbmTiming& e = HbmTimingPreset("hbm3e");
  EXPECT_TRUE(e.derived);
  EXPECT_EQ(e.burst_length, base.burst_length);
  EXPECT_EQ(e.nCCD_L, base.nCCD_L);
  // Never faster in ns than the datasheet part it scales (ceil rounding).
  EXPECT_GE(e.nRCD_RD * e.tCK_ps, base.nRCD_RD * base.tCK_ps - 1e-6);
  EXPECT_LT(e.nRCD_RD * e.tCK_ps, base.nRCD_RD * base.tCK_ps + e.tCK_ps);
  EXPECT_TRUE(HbmTimingPreset("HBM2E").derived);
  EXPECT_EQ(HbmTimingPreset("HBM2E").tCK_ps, 625);
}

TEST(HbmTimingPreset, AnUnknownNameIsAConfigErrorListingTheKnownOnes) {
  try {
    HbmTimingPreset("HBM4");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("HBM4"), std::string::npos);
    EXPECT_NE(what.find("HBM3E"), std::string::npos);
  }
}

}  // namespace
}  // namespace dsasim::arch
