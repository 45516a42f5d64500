#include "arch_models/system/topology.h"

#include <gtest/gtest.h>

#include "arch_models/chip/system_loader.h"
#include "system_test_util.h"

namespace dsasim::arch {
namespace {

using testing::Config;

std::vector<std::string> RouteNames(const Topology& t, int src, int dst) {
  std::vector<std::string> names;
  for (int l : t.Route(src, dst)) names.push_back(t.link(l).name);
  return names;
}

const char kTorus4x4[] =
    "topology: LINK_TORUS_2D dims: 4 dims: 4 link_bandwidth: \"45GB/s\" links_per_chip: "
    "4 "
    "link_latency: \"1us\" ";

TEST(Topology, TorusWithoutWraparoundGoesTheLongWayAround) {
  Topology t(Config(16, std::string(kTorus4x4) + "wraparound: false wraparound: false"));
  EXPECT_EQ(RouteNames(t, 0, 3),
            (std::vector<std::string>{"chip0->chip1", "chip1->chip2", "chip2->chip3"}));
  EXPECT_EQ(t.RouteLatency(0, 3), Tick::FromUs(3));
}

TEST(Topology, TorusWithWraparoundTakesTheShortWay) {
  Topology t(Config(16, kTorus4x4));
  EXPECT_EQ(RouteNames(t, 0, 3), (std::vector<std::string>{"chip0->chip3"}));
  EXPECT_EQ(RouteNames(t, 0, 12), (std::vector<std::string>{"chip0->chip12"}));
}

TEST(Topology, WraparoundIsPerAxis) {
  Topology t(Config(16, std::string(kTorus4x4) + "wraparound: true wraparound: false"));
  EXPECT_EQ(RouteNames(t, 0, 3).size(), 1u);   // axis 0 wraps
  EXPECT_EQ(RouteNames(t, 0, 12).size(), 3u);  // axis 1 does not
}

TEST(Topology, TorusTiesAreBrokenDimensionOrderAxisZeroFirst) {
  Topology t(Config(16, std::string(kTorus4x4) + "wraparound: false wraparound: false"));
  // (0,0) → (1,1) and back: both fix axis 0 first.
  EXPECT_EQ(RouteNames(t, 0, 5),
            (std::vector<std::string>{"chip0->chip1", "chip1->chip5"}));
  EXPECT_EQ(RouteNames(t, 5, 0),
            (std::vector<std::string>{"chip5->chip4", "chip4->chip0"}));
}

TEST(Topology, HalfWayRoundAnEvenRingGoesThePlusWay) {
  Topology t(Config(4, "topology: LINK_RING link_bandwidth: \"25GB/s\""));
  EXPECT_EQ(RouteNames(t, 0, 2),
            (std::vector<std::string>{"chip0->chip1", "chip1->chip2"}));
  EXPECT_EQ(RouteNames(t, 2, 0),
            (std::vector<std::string>{"chip2->chip3", "chip3->chip0"}));
}

TEST(Topology, RoutesAreCachedAndIdenticalAcrossInstances) {
  const InterconnectConfig c = Config(16, kTorus4x4);
  Topology a(c), b(c);
  const std::vector<int>* first = &a.Route(1, 14);
  EXPECT_EQ(first, &a.Route(1, 14));
  for (int s = 0; s < 16; ++s) {
    for (int d = 0; d < 16; ++d) EXPECT_EQ(a.Route(s, d), b.Route(s, d)) << s << "→" << d;
  }
}

TEST(Topology, TwoLevelCrossesNodesThroughTheNicsAndStaysOnTheSwitchInside) {
  Topology t(ParseInterconnect(LoadSystem("hgx-h100-2node"), "hgx"));
  EXPECT_EQ(RouteNames(t, 1, 9),
            (std::vector<std::string>{"chip1->scaleout", "scaleout->chip9"}));
  EXPECT_EQ(RouteNames(t, 1, 2),
            (std::vector<std::string>{"chip1->node0.switch", "node0.switch->chip2"}));
  EXPECT_EQ(RouteNames(t, 9, 10),
            (std::vector<std::string>{"chip9->node1.switch", "node1.switch->chip10"}));
}

TEST(Topology, PortsShareTheLinksEvenlyByNeighbourDirection) {
  // Fully connected 4: 12 links over 3 peers = 4 links of 25 GB/s each.
  Topology fc(ParseInterconnect(LoadSystem("a100x4-nvlink"), "a100x4"));
  EXPECT_DOUBLE_EQ(fc.link(fc.Route(0, 3)[0]).params.bandwidth, 100e9);
  // Switch: all 18 links form one port.
  Topology sw(ParseInterconnect(LoadSystem("dgx-h100"), "dgx-h100"));
  EXPECT_DOUBLE_EQ(sw.link(sw.UpLink(3)).params.bandwidth, 450e9);
  EXPECT_EQ(sw.link(sw.UpLink(3)).name, "chip3->switch");
  // 2D torus: 4 ports, one 45 GB/s link per direction.
  Topology torus(ParseInterconnect(LoadSystem("tpu-v5e-2x4"), "tpu"));
  EXPECT_DOUBLE_EQ(torus.link(torus.Route(0, 1)[0]).params.bandwidth, 45e9);
  // A ring of two: both directions reach the same neighbour and add up.
  Topology two(
      Config(2, "topology: LINK_RING link_bandwidth: \"25GB/s\" links_per_chip: 4"));
  ASSERT_EQ(two.Route(0, 1).size(), 1u);
  EXPECT_DOUBLE_EQ(two.link(two.Route(0, 1)[0]).params.bandwidth, 100e9);
}

TEST(Topology, HostLinksAreNamedAndNeverTransit) {
  Topology t(ParseInterconnect(LoadSystem("tpu-v5e-4x4"), "tpu"));
  EXPECT_EQ(t.link(t.HostLink(2, true)).name, "chip2->host");
  EXPECT_EQ(t.link(t.HostLink(2, false)).name, "host->chip2");
  // Corner to corner without wraparound: 6 ICI hops, not 2 through a host.
  EXPECT_EQ(t.Route(0, 15).size(), 6u);
}

}  // namespace
}  // namespace dsasim::arch
