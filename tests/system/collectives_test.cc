// Spec tests of the collective engine: closed forms, algorithm choices and
// the contract of Interconnect::Arrive.
#include "arch_models/system/collectives.h"

#include <gtest/gtest.h>

#include <cmath>

#include "arch_models/chip/system_loader.h"
#include "sim/error.h"
#include "system_test_util.h"

namespace dsasim::arch {
namespace {

using testing::Chips;
using testing::Config;
using testing::LastEnd;
using testing::RunCollective;

const std::string kRingRule =
    " collective_rules { kind: COLLECTIVE_ALL_REDUCE algorithm: "
    "COLLECTIVE_ALGORITHM_RING }";

CollectiveCall Call(v1::CollectiveKind kind, std::vector<int> group, double bytes) {
  CollectiveCall c;
  c.kind = kind;
  c.group = std::move(group);
  c.bytes = bytes;
  return c;
}

// Ring AllReduce: 2 (n − 1) steps of S/n, each step α + (S/n) / B.
double RingAllReduceClosedForm(int n, double bytes, double bandwidth, double alpha) {
  return 2.0 * (n - 1) / n * bytes / bandwidth + 2.0 * (n - 1) * alpha;
}

class RingAllReduce : public ::testing::TestWithParam<int> {};

TEST_P(RingAllReduce, OnASwitchIsWithin5PercentOfTheClosedForm) {
  const int n = GetParam();
  // Each step crosses chip->switch and switch->chip, both 100 GB/s:
  // α = 2 · 1 µs + 0.5 µs switch.
  const InterconnectConfig c =
      Config(n,
             "topology: LINK_SWITCH link_bandwidth: \"25GB/s\" links_per_chip: 4 "
             "link_latency: \"1us\" switch_latency: \"0.5us\"" +
                 kRingRule);
  const double s = 256.0 * (1 << 20);
  const auto r = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(n), s));
  EXPECT_EQ(r[0].algorithm, v1::COLLECTIVE_ALGORITHM_RING);
  const double expected = RingAllReduceClosedForm(n, s, 100e9, 2.5e-6);
  EXPECT_NEAR(LastEnd(r).Seconds(), expected, 0.05 * expected) << n;
  // A link can carry no more than its bandwidth: never faster than the form.
  EXPECT_GE(LastEnd(r).Seconds(), expected * (1 - 1e-9));
}

TEST_P(RingAllReduce, OnARingTopologyIsWithin5PercentOfTheClosedForm) {
  const int n = GetParam();
  // Ring topology: 4 links shared by 2 directions = 50 GB/s per neighbour;
  // in a ring of two both directions reach the one neighbour: 100 GB/s.
  const InterconnectConfig c =
      Config(n,
             "topology: LINK_RING link_bandwidth: \"25GB/s\" links_per_chip: 4 "
             "link_latency: \"1us\"" +
                 kRingRule);
  const double s = 256.0 * (1 << 20);
  const auto r = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(n), s));
  const double expected = RingAllReduceClosedForm(n, s, n == 2 ? 100e9 : 50e9, 1e-6);
  EXPECT_NEAR(LastEnd(r).Seconds(), expected, 0.05 * expected) << n;
}

INSTANTIATE_TEST_SUITE_P(Chips, RingAllReduce, ::testing::Values(2, 4, 8));

// component_refs.md §2.2 (SB-shard): a bidirectional ring AllGather takes
// T = V / W_ICI(bidi), independent of the axis size. V: the bytes each
// chip must receive, (n − 1) · S for shards of S (the book's V is the whole
// gathered array, n · S, and its form drops the (n − 1) / n factor for large
// axes); W_ICI(bidi): both directions of the chip's link to a neighbour
// along the axis, 2 × 45 GB/s on TPU v5e.
TEST(BidirectionalAllGather, OnATorusAxisIsWithin5PercentOfTheScalingBookForm) {
  for (int n : {4, 8, 16}) {
    const InterconnectConfig c =
        Config(n * 2, "topology: LINK_TORUS_2D dims: " + std::to_string(n) +
                          " dims: 2 link_bandwidth: \"45GB/s\" links_per_chip: 4 "
                          "link_latency: \"1us\"");
    const double s = 16.0 * (1 << 20);
    const auto r = RunCollective(c, Call(v1::COLLECTIVE_ALL_GATHER, Chips(n), s));
    EXPECT_EQ(r[0].algorithm, v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING);
    const double v = (n - 1) * s, w_bidi = 2 * 45e9;
    EXPECT_NEAR(LastEnd(r).Seconds(), v / w_bidi, 0.05 * v / w_bidi) << n;
  }
}

TEST(SwitchReduce, IsChosenOnNvswitchAndBeatsTheRingForLargePayloads) {
  const v1::System system = LoadSystem("dgx-h100");
  InterconnectConfig c = ParseInterconnect(system, "dgx-h100");
  c.engine = v1::COLLECTIVE_ENGINE_DEDICATED;
  const double s = 1024.0 * (1 << 20);
  const auto sharp = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(8), s));
  EXPECT_EQ(sharp[0].algorithm, v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE);
  c.rules.push_back({v1::COLLECTIVE_ALL_REDUCE, INFINITY, v1::COLLECTIVE_ALGORITHM_RING});
  const auto ring = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(8), s));
  EXPECT_EQ(ring[0].algorithm, v1::COLLECTIVE_ALGORITHM_RING);
  EXPECT_LT(LastEnd(sharp), LastEnd(ring));
  // In-switch reduction moves S each way once (S / B) where the ring moves
  // 2 (n − 1) / n · S (component_refs §2.3: theory B/W vs 2B/W).
  EXPECT_GT(LastEnd(ring).Seconds() / LastEnd(sharp).Seconds(), 1.5);
}

TEST(ComputeCores, AddExactlyTheReductionsOnTheCriticalPath) {
  const int n = 4;
  const std::string links =
      "topology: LINK_SWITCH link_bandwidth: \"25GB/s\" links_per_chip: 4 "
      "link_latency: \"1us\"" +
      kRingRule;
  const double s = 64.0 * (1 << 20), rate = 500e9;
  const auto call = Call(v1::COLLECTIVE_ALL_REDUCE, Chips(n), s);
  const auto dedicated = RunCollective(Config(n, links), call);
  const auto cores = RunCollective(
      Config(n, links + " collective_engine: COLLECTIVE_ENGINE_COMPUTE_CORES"), call, {},
      std::vector<double>(n, rate));
  // The ring's reduce-scatter forwards each reduced chunk, so its n − 1
  // reductions of S/n lie on the critical path; the all-gather reduces
  // nothing.
  const Tick one = Tick::FromSeconds(s / n / rate);
  EXPECT_EQ(LastEnd(cores) - LastEnd(dedicated), one * (n - 1));
  for (int r = 0; r < n; ++r) {
    EXPECT_EQ(cores[r].core_busy, one * (n - 1));
    EXPECT_EQ(dedicated[r].core_busy, Tick());
  }
}

TEST(AllToAll, RaggedTheChipThatReceivesMostFinishesLastWithItsLastSender) {
  const InterconnectConfig c = ParseInterconnect(LoadSystem("dgx-h100"), "dgx");
  const int n = 8, hot = 5;
  const double unit = 4 << 20;
  Simulator sim;
  Interconnect ic(sim, c, std::vector<double>(n, 1e12));
  std::vector<CollectiveResult> results(n);
  for (int chip = 0; chip < n; ++chip) {
    CollectiveCall call = Call(v1::COLLECTIVE_ALL_TO_ALL, Chips(n), 0);
    // Every chip sends 4× as much to the hot expert's chip (Zipf-like).
    for (int d = 0; d < n; ++d) call.send_bytes.push_back(d == hot ? 4 * unit : unit);
    ic.Arrive(9, call, chip,
              [&results, chip](const CollectiveResult& r) { results[chip] = r; });
  }
  sim.Run();
  EXPECT_EQ(results[0].algorithm, v1::COLLECTIVE_ALGORITHM_DIRECT);
  // A participant is done when what it received and what it sent have
  // landed, so the sender whose message to the hot chip is served last
  // finishes with it; the rest finish earlier.
  int earlier = 0;
  for (int chip = 0; chip < n; ++chip) {
    EXPECT_LE(results[chip].end, results[hot].end) << chip;
    earlier += results[chip].end < results[hot].end;
  }
  EXPECT_GE(earlier, n - 2);
  // Its downlink carried 7 × 4 units: it is the busiest link.
  EXPECT_EQ(ic.LinkName(ic.BusiestLink()), "switch->chip5");
}

TEST(AllToAll, RaggedTheChipThatSendsMostFinishesNoEarlierThanAnyOther) {
  const InterconnectConfig c = ParseInterconnect(LoadSystem("dgx-h100"), "dgx");
  const int n = 8, heavy = 2;
  Simulator sim;
  Interconnect ic(sim, c, std::vector<double>(n, 1e12));
  std::vector<CollectiveResult> results(n);
  for (int chip = 0; chip < n; ++chip) {
    CollectiveCall call = Call(v1::COLLECTIVE_ALL_TO_ALL, Chips(n), 0);
    call.send_bytes.assign(n, chip == heavy ? 16e6 : 2e6);
    ic.Arrive(3, call, chip,
              [&results, chip](const CollectiveResult& r) { results[chip] = r; });
  }
  sim.Run();
  for (int chip = 0; chip < n; ++chip) EXPECT_LE(results[chip].end, results[heavy].end);
  EXPECT_GT(results[heavy].link_bytes, 7 * results[0].link_bytes);
}

TEST(Hierarchical, AcrossTwoNodesBeatsAFlatRingOverTheNics) {
  InterconnectConfig c = ParseInterconnect(LoadSystem("hgx-h100-2node"), "hgx");
  c.engine = v1::COLLECTIVE_ENGINE_DEDICATED;
  const double s = 256.0 * (1 << 20);
  const auto h = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(16), s));
  EXPECT_EQ(h[0].algorithm, v1::COLLECTIVE_ALGORITHM_HIERARCHICAL);
  c.rules.push_back({v1::COLLECTIVE_ALL_REDUCE, INFINITY, v1::COLLECTIVE_ALGORITHM_RING});
  const auto ring = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(16), s));
  EXPECT_LT(LastEnd(h), LastEnd(ring));
}

TEST(Tree, IsChosenForSmallAllReducesOnEightChipsAndBeatsTheRingThere) {
  InterconnectConfig c =
      Config(8,
             "topology: LINK_SWITCH link_bandwidth: \"25GB/s\" links_per_chip: 12 "
             "link_latency: \"1us\"");
  const auto call = Call(v1::COLLECTIVE_ALL_REDUCE, Chips(8), 8192);
  const auto tree = RunCollective(c, call);
  EXPECT_EQ(tree[0].algorithm, v1::COLLECTIVE_ALGORITHM_TREE);
  c.rules.push_back({v1::COLLECTIVE_ALL_REDUCE, INFINITY, v1::COLLECTIVE_ALGORITHM_RING});
  EXPECT_LT(LastEnd(tree), LastEnd(RunCollective(c, call)));
}

TEST(Interconnect, AGroupOfOneCompletesAtArrival) {
  const InterconnectConfig c = ParseInterconnect(LoadSystem("dgx-h100"), "dgx");
  const auto r = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, {3}, 1e6),
                               {Tick::FromUs(7)}, std::vector<double>(8, 1e12));
  EXPECT_EQ(r[0].end, Tick::FromUs(7));
  EXPECT_EQ(r[0].link_bytes, 0);
}

TEST(Interconnect, EveryRankWaitsForTheLastArrivalPlusLaunch) {
  const InterconnectConfig c =
      Config(4,
             "topology: LINK_SWITCH link_bandwidth: \"25GB/s\" link_latency: \"1us\" "
             "collective_launch: \"5us\"");
  const Tick late = Tick::FromUs(100);
  const auto r = RunCollective(c, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(4), 1e6),
                               {Tick(), Tick(), late, Tick()});
  EXPECT_EQ(r[2].arrived, late);
  for (const auto& x : r) EXPECT_GT(x.end, late + Tick::FromUs(5));
  EXPECT_GE(r[2].start, late + Tick::FromUs(5));
}

TEST(Interconnect, MismatchedParticipantsAreMappingErrorsNamingBothCalls) {
  const InterconnectConfig c =
      Config(4, "topology: LINK_SWITCH link_bandwidth: \"25GB/s\"");
  Simulator sim;
  Interconnect ic(sim, c, {});
  ic.Arrive(1, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(4), 1e6), 0, [](const auto&) {});
  try {
    ic.Arrive(1, Call(v1::COLLECTIVE_ALL_GATHER, Chips(4), 1e6), 1, [](const auto&) {});
    FAIL() << "no error";
  } catch (const MappingError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("COLLECTIVE_ALL_GATHER over chips {0,1,2,3}"), std::string::npos);
    EXPECT_NE(what.find("COLLECTIVE_ALL_REDUCE over chips {0,1,2,3}"), std::string::npos);
  }
  EXPECT_THROW(
      ic.Arrive(1, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(4), 2e6), 1, [](const auto&) {}),
      MappingError);
  EXPECT_THROW(
      ic.Arrive(1, Call(v1::COLLECTIVE_ALL_REDUCE, Chips(4), 1e6), 0, [](const auto&) {}),
      MappingError);
  EXPECT_THROW(
      ic.Arrive(2, Call(v1::COLLECTIVE_ALL_REDUCE, {0, 1}, 1e6), 3, [](const auto&) {}),
      MappingError);
  EXPECT_THROW(
      ic.Arrive(5, Call(v1::COLLECTIVE_ALL_REDUCE, {1, 1}, 1e6), 1, [](const auto&) {}),
      MappingError);
  CollectiveCall bad_root = Call(v1::COLLECTIVE_BROADCAST, {0, 1}, 1e6);
  bad_root.root = 2;
  EXPECT_THROW(ic.Arrive(6, bad_root, 0, [](const auto&) {}), MappingError);
  EXPECT_THROW(ic.Arrive(7, Call(v1::COLLECTIVE_KIND_UNSPECIFIED, {0, 1}, 1), 0,
                         [](const auto&) {}),
               MappingError);
  EXPECT_EQ(ic.pending_collectives(), 1u);
}

TEST(Interconnect, SendArrivesAfterLaunchProtocolAndRoute) {
  const InterconnectConfig c =
      Config(4,
             "topology: LINK_SWITCH link_bandwidth: \"25GB/s\" links_per_chip: 4 "
             "link_latency: \"1us\" collective_launch: \"3us\"");
  Simulator sim;
  Interconnect ic(sim, c, {});
  Tick start, end;
  ic.Send(0, 2, 1e6, [&](Tick s, Tick e) {
    start = s;
    end = e;
    EXPECT_EQ(sim.Now(), e);
  });
  sim.Run();
  EXPECT_EQ(start, Tick::FromUs(3));
  EXPECT_EQ(end, Tick::FromUs(5) + Tick::FromSeconds(1e6 / 100e9));
  EXPECT_GT(ic.link_busy_ps()[ic.topology().UpLink(0)], 0);
}

TEST(Interconnect, BroadcastReachesEveryRankUnderEachAlgorithm) {
  for (auto algorithm :
       {v1::COLLECTIVE_ALGORITHM_RING, v1::COLLECTIVE_ALGORITHM_TREE,
        v1::COLLECTIVE_ALGORITHM_DIRECT, v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING}) {
    InterconnectConfig c = Config(6, "topology: LINK_SWITCH link_bandwidth: \"25GB/s\"");
    c.rules.push_back({v1::COLLECTIVE_BROADCAST, INFINITY, algorithm});
    CollectiveCall call = Call(v1::COLLECTIVE_BROADCAST, Chips(6), 1e6);
    call.root = 2;
    const auto r = RunCollective(c, call);
    // Every rank but the root needs the whole 1 MB through its downlink.
    const Tick floor = Tick::FromSeconds(1e6 / 25e9);
    for (int rank = 0; rank < 6; ++rank) {
      if (rank == 2) continue;
      EXPECT_GE(r[rank].end, floor) << algorithm << " rank " << rank;
    }
    EXPECT_GT(r[2].link_bytes, 0) << algorithm;
  }
}

}  // namespace
}  // namespace dsasim::arch
