// Invariants over topologies × kinds × algorithms × sizes: halving the link
// bandwidth never makes a collective faster, more bytes never make it
// faster, and the same inputs give identical times.
#include <gtest/gtest.h>

#include <cmath>

#include "arch_models/system/collectives.h"
#include "system_test_util.h"

namespace dsasim::arch {
namespace {

using testing::Chips;
using testing::Config;
using testing::LastEnd;
using testing::RunCollective;

struct Fabric {
  const char* name;
  int chips;
  std::string text;  // with %BW% for the link bandwidth
};

const Fabric kFabrics[] = {
    {"switch", 8,
     "topology: LINK_SWITCH link_bandwidth: \"%BW%\" links_per_chip: 4 link_latency: "
     "\"1us\" switch_latency: \"0.5us\" switch_reduction: true"},
    {"ring", 6, "topology: LINK_RING link_bandwidth: \"%BW%\" link_latency: \"1us\""},
    {"torus", 8,
     "topology: LINK_TORUS_2D dims: 4 dims: 2 wraparound: false wraparound: true "
     "link_bandwidth: \"%BW%\" links_per_chip: 4 link_latency: \"1us\""},
    {"fully_connected", 4,
     "topology: LINK_FULLY_CONNECTED link_bandwidth: \"%BW%\" links_per_chip: 12 "
     "link_latency: \"1us\" collective_protocols { name: \"LL\" step_latency: \"1us\" "
     "efficiency: 0.1 } collective_protocols { name: \"Simple\" step_latency: \"20us\" "
     "}"},
    {"two_level", 8,
     "topology: LINK_TWO_LEVEL chips_per_node: 4 link_bandwidth: \"%BW%\" "
     "links_per_chip: 4 link_latency: \"1us\" scale_out { bandwidth: \"%BW%\" latency: "
     "\"3us\" }"},
};

InterconnectConfig Make(const Fabric& f, double bandwidth, v1::CollectiveKind kind,
                        v1::CollectiveAlgorithm algorithm, bool cores) {
  std::string text = f.text;
  const std::string bw = std::to_string(bandwidth / 1e9) + "GB/s";
  for (size_t at; (at = text.find("%BW%")) != std::string::npos;) text.replace(at, 4, bw);
  if (cores) text += " collective_engine: COLLECTIVE_ENGINE_COMPUTE_CORES";
  InterconnectConfig c = Config(f.chips, text);
  c.rules.push_back({kind, INFINITY, algorithm});
  return c;
}

const v1::CollectiveKind kKinds[] = {v1::COLLECTIVE_ALL_REDUCE, v1::COLLECTIVE_ALL_GATHER,
                                     v1::COLLECTIVE_REDUCE_SCATTER,
                                     v1::COLLECTIVE_ALL_TO_ALL, v1::COLLECTIVE_BROADCAST};
const v1::CollectiveAlgorithm kAlgorithms[] = {
    v1::COLLECTIVE_ALGORITHM_AUTO,
    v1::COLLECTIVE_ALGORITHM_RING,
    v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING,
    v1::COLLECTIVE_ALGORITHM_TREE,
    v1::COLLECTIVE_ALGORITHM_DIRECT,
    v1::COLLECTIVE_ALGORITHM_HIERARCHICAL,
    v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE};

// Calls `check` for every valid combination.
template <typename F>
void ForEachCase(F check) {
  for (const Fabric& f : kFabrics) {
    for (auto kind : kKinds) {
      for (auto algorithm : kAlgorithms) {
        for (bool cores : {false, true}) {
          const InterconnectConfig probe = Make(f, 25e9, kind, algorithm, cores);
          if (!AlgorithmValid(probe, kind, algorithm)) continue;
          check(f, kind, algorithm, cores);
        }
      }
    }
  }
}

Tick Time(const Fabric& f, double bandwidth, v1::CollectiveKind kind,
          v1::CollectiveAlgorithm algorithm, bool cores, double bytes) {
  CollectiveCall call;
  call.kind = kind;
  call.group = Chips(f.chips);
  call.bytes = bytes;
  call.root = 1;
  return LastEnd(RunCollective(Make(f, bandwidth, kind, algorithm, cores), call, {},
                               std::vector<double>(f.chips, 200e9)));
}

std::string Name(const Fabric& f, v1::CollectiveKind k, v1::CollectiveAlgorithm a,
                 bool cores) {
  return std::string(f.name) + " " + v1::CollectiveKind_Name(k) + " " +
         v1::CollectiveAlgorithm_Name(a) + (cores ? " cores" : " dedicated");
}

const double kSizes[] = {4096, 1 << 20, 64.0 * (1 << 20)};

TEST(CollectiveProperties, HalvingLinkBandwidthNeverMakesACollectiveFaster) {
  int cases = 0;
  ForEachCase([&](const Fabric& f, auto kind, auto algorithm, bool cores) {
    for (double s : kSizes) {
      EXPECT_GE(Time(f, 12.5e9, kind, algorithm, cores, s),
                Time(f, 25e9, kind, algorithm, cores, s))
          << Name(f, kind, algorithm, cores) << " " << s;
      ++cases;
    }
  });
  EXPECT_GT(cases, 100);
}

TEST(CollectiveProperties, MoreBytesNeverMakeACollectiveFaster) {
  ForEachCase([&](const Fabric& f, auto kind, auto algorithm, bool cores) {
    Tick previous;
    for (double s : {0.0, 1.0, 4096.0, 65536.0, 1048576.0, 16777216.0, 268435456.0}) {
      const Tick t = Time(f, 25e9, kind, algorithm, cores, s);
      EXPECT_GE(t, previous) << Name(f, kind, algorithm, cores) << " " << s;
      previous = t;
    }
  });
}

TEST(CollectiveProperties, SameInputsGiveIdenticalTimesAndLinkBusy) {
  ForEachCase([&](const Fabric& f, auto kind, auto algorithm, bool cores) {
    auto run = [&] {
      Simulator sim;
      Interconnect ic(sim, Make(f, 25e9, kind, algorithm, cores),
                      std::vector<double>(f.chips, 200e9));
      CollectiveCall call;
      call.kind = kind;
      call.group = Chips(f.chips);
      call.bytes = 3e6;
      std::vector<int64_t> ends;
      for (int c = 0; c < f.chips; ++c) {
        // Staggered arrivals, so launch and FCFS order matter.
        sim.Post(Tick::FromNs(100 * c), [&, c] {
          ic.Arrive(4, call, c,
                    [&](const CollectiveResult& r) { ends.push_back(r.end.ps()); });
        });
      }
      sim.Run();
      std::vector<int64_t> all = ends;
      all.insert(all.end(), ic.link_busy_ps().begin(), ic.link_busy_ps().end());
      return all;
    };
    EXPECT_EQ(run(), run()) << Name(f, kind, algorithm, cores);
  });
}

}  // namespace
}  // namespace dsasim::arch
