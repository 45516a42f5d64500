#include "arch_models/memory/hbm/hbm_detailed_model.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "arch_models/memory/hbm/hbm_fast_model.h"
#include "arch_models/memory/hbm/pseudo_channel_controller.h"
#include "sim/error.h"

namespace dsasim::arch {
namespace {

// One pseudo-channel of a native-rate HBM3 part, recording its commands.
class Hbm3PseudoChannel : public ::testing::Test {
 protected:
  Hbm3PseudoChannel()
      : t_(CommandTiming::From(HbmTimingPreset("HBM3"), 1.0)),
        pc_(t_, /*bank_groups=*/4, /*banks_per_group=*/4, /*refresh_phase_ps=*/0) {
    pc_.set_trace(&trace_);
  }

  // Serves bursts (bank group, bank, row) arriving together at `now_ps`.
  void Serve(int64_t now_ps, std::initializer_list<std::array<int64_t, 3>> bursts,
             bool write = false) {
    pc_.StartAccess(now_ps, write);
    for (const auto& b : bursts)
      pc_.Push(static_cast<int>(b[0]), static_cast<int>(b[1]), b[2]);
    pc_.Drain();
  }

  // Times of the commands of one kind issued at or after `from_ps`.
  std::vector<int64_t> Times(DramCommand kind, int64_t from_ps = 0) const {
    std::vector<int64_t> times;
    for (const IssuedCommand& c : trace_) {
      if (c.command == kind && c.time_ps >= from_ps) times.push_back(c.time_ps);
    }
    return times;
  }

  // Long after the first access: every bank limit (tRAS, tRC, tWR) is met
  // and no refresh is due yet (tREFI is 3.9 µs).
  static constexpr int64_t kLater = 1'000'000;

  CommandTiming t_;
  PseudoChannelController pc_;
  std::vector<IssuedCommand> trace_;
};

TEST_F(Hbm3PseudoChannel, SameBankGroupColumnCommandsAreSpacedByTccdL) {
  Serve(0, {{0, 0, 7}, {0, 1, 7}});  // opens a row in two banks of group 0
  Serve(kLater, {{0, 0, 7}, {0, 1, 7}});
  const std::vector<int64_t> reads = Times(DramCommand::kRead, kLater);
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0], kLater);
  EXPECT_EQ(reads[1] - reads[0], t_.ccd_l);
}

TEST_F(Hbm3PseudoChannel, DifferentBankGroupColumnCommandsAreSpacedByTccdS) {
  Serve(0, {{0, 0, 7}, {1, 0, 7}});
  Serve(kLater, {{0, 0, 7}, {1, 0, 7}});
  const std::vector<int64_t> reads = Times(DramCommand::kRead, kLater);
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[1] - reads[0], t_.ccd_s);
  EXPECT_LT(t_.ccd_s, t_.ccd_l);
}

TEST_F(Hbm3PseudoChannel, ARowMissPaysTrpPlusTrcd) {
  Serve(0, {{2, 3, 100}});
  Serve(kLater, {{2, 3, 101}});
  ASSERT_EQ(Times(DramCommand::kPrecharge, kLater), std::vector<int64_t>{kLater});
  ASSERT_EQ(Times(DramCommand::kActivate, kLater), std::vector<int64_t>{kLater + t_.rp});
  ASSERT_EQ(Times(DramCommand::kRead, kLater),
            std::vector<int64_t>{kLater + t_.rp + t_.rcd_rd});
  EXPECT_EQ(pc_.data_done_ps(), kLater + t_.rp + t_.rcd_rd + t_.cl + t_.burst);
}

TEST_F(Hbm3PseudoChannel, ARowHitPaysOnlyTcl) {
  Serve(0, {{2, 3, 100}});
  Serve(kLater, {{2, 3, 100}});
  EXPECT_TRUE(Times(DramCommand::kActivate, kLater).empty());
  ASSERT_EQ(Times(DramCommand::kRead, kLater), std::vector<int64_t>{kLater});
  EXPECT_EQ(pc_.data_done_ps(), kLater + t_.cl + t_.burst);
}

TEST_F(Hbm3PseudoChannel, ARowMissOnAnIdleBankPaysTrcdOnly) {
  Serve(kLater, {{1, 1, 5}});
  EXPECT_EQ(Times(DramCommand::kRead), std::vector<int64_t>{kLater + t_.rcd_rd});
}

TEST_F(Hbm3PseudoChannel, RefreshBlocksTheChannelForTrfc) {
  // An access arriving when the refresh falls due waits for it.
  Serve(t_.refi, {{0, 0, 1}});
  ASSERT_EQ(Times(DramCommand::kRefresh), std::vector<int64_t>{t_.refi});
  EXPECT_EQ(Times(DramCommand::kActivate), std::vector<int64_t>{t_.refi + t_.rfc});
  EXPECT_EQ(pc_.refreshes(), 1);
}

TEST_F(Hbm3PseudoChannel, RefreshFirstClosesTheOpenRowsAndReopensThemAfterwards) {
  // A row opened just before the refresh falls due is precharged (after
  // tRAS) before REF, and must be activated again after tRFC.
  const int64_t act = t_.refi - t_.tck;
  Serve(act, {{0, 0, 1}});
  const std::vector<int64_t> acts = Times(DramCommand::kActivate);
  const std::vector<int64_t> refs = Times(DramCommand::kRefresh);
  ASSERT_EQ(refs.size(), 1u);
  ASSERT_EQ(acts.size(), 2u);
  EXPECT_EQ(acts[0], act);
  EXPECT_EQ(refs[0], act + t_.ras + t_.rp);
  EXPECT_EQ(acts[1], refs[0] + t_.rfc);
}

TEST_F(Hbm3PseudoChannel, FourActivatesWithinTfawDelayTheFifth) {
  // Five rows in five banks, spread over the groups so that only tRRD_S and
  // tFAW apply between consecutive activates.
  Serve(kLater, {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {1, 1, 1}});
  const std::vector<int64_t> acts = Times(DramCommand::kActivate);
  ASSERT_EQ(acts.size(), 5u);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(acts[i] - acts[i - 1], t_.rrd_s) << i;
  ASSERT_GT(t_.faw, 4 * t_.rrd_s);  // else the test shows nothing
  EXPECT_EQ(acts[4], acts[0] + t_.faw);
}

TEST_F(Hbm3PseudoChannel, AReadAfterAWriteWaitsTwtrAfterTheWriteData) {
  Serve(0, {{0, 0, 1}, {1, 0, 1}});
  Serve(kLater, {{0, 0, 1}}, /*write=*/true);
  Serve(kLater, {{1, 0, 1}});
  const std::vector<int64_t> writes = Times(DramCommand::kWrite, kLater);
  const std::vector<int64_t> reads = Times(DramCommand::kRead, kLater);
  ASSERT_EQ(writes.size(), 1u);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0], writes[0] + t_.cwl + t_.burst + t_.wtr_s);
}

// --- Whole-device behaviour --------------------------------------------

HbmGeometry Geometry(const HbmTiming& t, int channels) {
  return {.channels = channels,
          .interleave_bytes = 256,
          .channel_bandwidth_Bps = t.ChannelPeakBandwidth(),
          .latency = Tick::FromNs(100)};
}

AccessPattern Flat(int64_t bytes) {
  return {.address = 0, .bytes = bytes, .contiguous_bytes = bytes};
}

AccessPattern Strided(int64_t run, int64_t stride, int64_t bytes) {
  return {.address = 0, .bytes = bytes, .contiguous_bytes = run, .stride_bytes = stride};
}

// Runs far apart (1 MiB + 7 chunks): every channel in turn, and within a
// channel a regular walk over banks — not random at the bank level.
AccessPattern Scattered(int64_t run, int64_t runs) {
  return Strided(run, (1 << 20) + 256 * 7, run * runs);
}

// Fraction of peak one access achieves from an idle device; the fixed
// latency is left out in both modes.
double Efficiency(HbmModel& hbm, Tick latency, const AccessPattern& p) {
  const Tick done = hbm.Access(Tick(), p);
  return static_cast<double>(p.bytes) / (done - latency).Seconds() / hbm.PeakBandwidth();
}

// `count` requests of `bytes` each at uniformly random aligned addresses in
// 16 GiB, each its own access, all issued at time 0 (a gather).
double RandomEfficiency(HbmModel& hbm, Tick latency, int64_t bytes, int count) {
  uint64_t x = 0x9E3779B97F4A7C15ull;  // xorshift64: fixed, portable sequence
  Tick done;
  for (int i = 0; i < count; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const uint64_t address = (x % (uint64_t{16} << 30)) / bytes * bytes;
    done = Max(done, hbm.Access(Tick(), {.address = address,
                                         .bytes = bytes,
                                         .contiguous_bytes = bytes,
                                         .scattered = true}));
  }
  return static_cast<double>(bytes) * count / (done - latency).Seconds() /
         hbm.PeakBandwidth();
}

TEST(HbmDetailedModel, StreamingReadsReach85To95PercentOfPeakAndNeverExceedIt) {
  for (const char* name : {"HBM3", "HBM2"}) {
    const HbmTiming& t = HbmTimingPreset(name);
    const HbmGeometry g = Geometry(t, 8);
    HbmDetailedModel hbm(t, g);
    // 40+ refresh intervals per channel, so the refresh tax is averaged.
    const AccessPattern stream = Flat(int64_t{64} << 20);
    const double efficiency = Efficiency(hbm, g.latency, stream);
    std::printf(
        "%-5s detailed streaming read efficiency %.3f (%lld activates, %lld refreshes)\n",
        name, efficiency, static_cast<long long>(hbm.activates()),
        static_cast<long long>(hbm.refreshes()));
    EXPECT_GE(efficiency, 0.85) << name;
    EXPECT_LE(efficiency, 0.95) << name;
    EXPECT_EQ(hbm.bursts(), stream.bytes / t.BurstBytes());
    // One activate per row: streaming pays no avoidable row misses.
    EXPECT_LE(hbm.activates(), stream.bytes / t.row_bytes + 2 * hbm.refreshes() * 16);
  }
}

TEST(HbmDetailedModel, Random64ByteReadsAreFarLower) {
  for (const char* name : {"HBM3", "HBM2"}) {
    const HbmTiming& t = HbmTimingPreset(name);
    const HbmGeometry g = Geometry(t, 8);
    HbmDetailedModel streaming(t, g);
    HbmDetailedModel random(t, g);
    const double stream = Efficiency(streaming, g.latency, Flat(int64_t{16} << 20));
    const double scattered = RandomEfficiency(random, g.latency, 64, 100'000);
    std::printf("%-5s detailed random 64 B read efficiency %.3f (streaming %.3f)\n", name,
                scattered, stream);
    EXPECT_LT(scattered, 0.6 * stream) << name;
    EXPECT_GT(scattered, 0.05) << name;
    // Every 64 B request opens a row (a few more re-open after refreshes).
    EXPECT_GE(random.activates(), 100'000);
    EXPECT_LE(random.activates(), 101'000);
  }
}

TEST(HbmDetailedModel, BackToBackAccessesQueueBehindEachOther) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  HbmDetailedModel hbm(t, Geometry(t, 8));
  const Tick first = hbm.Access(Tick(), Flat(1 << 20));
  const Tick second = hbm.Access(Tick(), Flat(1 << 20));
  EXPECT_GT((second - first).ps(), (first - Tick::FromNs(100)).ps() * 9 / 10);
  EXPECT_EQ(hbm.bytes_read(), 2 << 20);
}

TEST(HbmDetailedModel, AnIdleSingleBurstCostsTheBurstPlusTheLatency) {
  // The unmodelled part of the latency plus tRCD + tCL + the burst: the
  // same as the fast model's burst time + latency.
  const HbmTiming& t = HbmTimingPreset("HBM3");
  HbmDetailedModel hbm(t, Geometry(t, 8));
  const Tick done = hbm.Access(Tick::FromNs(50), Flat(32));
  EXPECT_EQ(done, Tick::FromNs(50) + Tick::FromNs(100) +
                      Tick::FromPs(hbm.command_timing().burst));
}

TEST(HbmDetailedModel, IsDeterministic) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  HbmDetailedModel a(t, Geometry(t, 8));
  HbmDetailedModel b(t, Geometry(t, 8));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(a.Access(Tick::FromNs(i), Scattered(64, 5000)),
              b.Access(Tick::FromNs(i), Scattered(64, 5000)));
  }
}

TEST(HbmDetailedModel, AddressMappingFillsARowThenAlternatesPseudoChannelsAndGroups) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  HbmAddressMapping map(t, Geometry(t, 4));
  // Channel-local bytes 0..1023 of channel 1 are one row of PC 0.
  EXPECT_EQ(map.Map(256).channel, 1);
  EXPECT_EQ(map.Map(256 + 1024 * 3).pseudo_channel, 0);  // local 768
  EXPECT_EQ(map.Map(256 + 1024 * 4).pseudo_channel, 1);  // local 1 KiB
  EXPECT_EQ(map.Map(256 + 1024 * 8).bank_group, 1);      // local 2 KiB
  EXPECT_EQ(map.Map(256 + 1024 * 32).bank, 1);           // local 8 KiB
  EXPECT_EQ(map.Map(256 + 1024 * 128).row, 1);           // local 32 KiB
  EXPECT_EQ(map.SegmentEnd(256 + 32), 512u);
}

TEST(HbmDetailedModel, RejectsAnInterleaveThatSplitsABurst) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  HbmGeometry g = Geometry(t, 8);
  g.interleave_bytes = 48;
  EXPECT_THROW(HbmDetailedModel(t, g), ConfigError);
}

TEST(MakeHbmModel, BuildsTheModeAsked) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  EXPECT_NE(dynamic_cast<HbmFastModel*>(
                MakeHbmModel(t, Geometry(t, 8), v1::HBM_MODE_FAST).get()),
            nullptr);
  EXPECT_NE(dynamic_cast<HbmDetailedModel*>(
                MakeHbmModel(t, Geometry(t, 8), v1::HBM_MODE_DETAILED).get()),
            nullptr);
  EXPECT_THROW(MakeHbmModel(t, Geometry(t, 8), static_cast<v1::HbmMode>(7)), ConfigError);
}

// The fast model must agree with the detailed one on the patterns that
// matter: streams, strided tiles and scattered requests.
TEST(HbmModes, FastModeIsWithinFivePercentOfDetailedMode) {
  const HbmTiming& t = HbmTimingPreset("HBM3");
  const HbmGeometry g = Geometry(t, 80);  // an H100-like part: 5 stacks
  const int64_t mib = int64_t{1} << 20;
  struct Case {
    const char* name;
    AccessPattern pattern;
  };
  const Case cases[] = {
      {"streaming", Flat(256 * mib)},
      {"128 B runs, stride 256 B", Strided(128, 256, 64 * mib)},
      {"256 B runs, stride 512 B", Strided(256, 512, 64 * mib)},
      {"1 KiB runs, stride 2 KiB", Strided(1024, 2048, 64 * mib)},
      {"256 B runs, stride 4 KiB", Strided(256, 4096, 16 * mib)},
      {"64 B runs, stride 4 KiB", Strided(64, 4096, 4 * mib)},
      {"scattered 64 B", Scattered(64, 400'000)},
      {"scattered 256 B", Scattered(256, 200'000)},
  };
  std::printf("%-26s %9s %9s %7s\n", "HBM3 pattern", "detailed", "fast", "diff");
  for (const Case& c : cases) {
    HbmDetailedModel detailed(t, g);
    HbmFastModel fast(t, g);
    const double d = Efficiency(detailed, g.latency, c.pattern);
    const double f = Efficiency(fast, g.latency, c.pattern);
    std::printf("%-26s %9.3f %9.3f %+6.1f%%\n", c.name, d, f, 100.0 * (f - d) / d);
    EXPECT_NEAR(f / d, 1.0, 0.05) << c.name;
  }
}

// Random gathers (each element its own access, served in call order): the
// fast model measures the in-order conflict process through one controller
// on its own fixed sequence; here the whole detailed model serves another
// sequence, spread over every channel by the address mapping. (Before that
// measurement a fixed-point estimate was +25 / +14 / +5 % optimistic.)
TEST(HbmModes, FastModeIsWithinFivePercentOfDetailedModeOnRandomGathers) {
  for (const char* name : {"HBM3", "HBM2"}) {
    const HbmTiming& t = HbmTimingPreset(name);
    const HbmGeometry g = Geometry(t, std::string(name) == "HBM3" ? 80 : 16);
    for (int64_t bytes : {64, 128, 256}) {
      HbmDetailedModel detailed(t, g);
      HbmFastModel fast(t, g);
      const double d = RandomEfficiency(detailed, g.latency, bytes, 200'000);
      const double f = RandomEfficiency(fast, g.latency, bytes, 200'000);
      std::printf("%-5s random %-12lld %9.3f %9.3f %+6.1f%%\n", name,
                  static_cast<long long>(bytes), d, f, 100.0 * (f - d) / d);
      EXPECT_NEAR(f / d, 1.0, 0.05) << name << " random " << bytes;
    }
  }
}

}  // namespace
}  // namespace dsasim::arch
