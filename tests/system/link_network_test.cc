#include "arch_models/system/link_network.h"

#include <gtest/gtest.h>

#include "sim/error.h"
#include "system_test_util.h"

namespace dsasim::arch {
namespace {

using testing::Config;

Tick Seconds(double s) { return Tick::FromSeconds(s); }

TEST(LinkNetwork, OneHopCostsOverheadPlusWireBytesOverBandwidthPlusLatency) {
  Topology t(Config(2,
                    "topology: LINK_FULLY_CONNECTED link_bandwidth: \"10GB/s\" "
                    "link_latency: \"2us\" message_overhead: \"100ns\" "
                    "payload_efficiency: 0.8"));
  LinkNetwork net(t);
  const Tick at = Tick::FromUs(5);
  // 1 MB of payload is 1.25 MB on the wire.
  EXPECT_EQ(net.Reserve(0, 1, 1e6, at),
            at + Tick::FromNs(100) + Seconds(1.25e6 / 10e9) + Tick::FromUs(2));
  EXPECT_DOUBLE_EQ(net.wire_bytes()[t.Route(0, 1)[0]], 1.25e6);
}

TEST(LinkNetwork, RoutesArePipelinedCutThroughNotStoreAndForward) {
  Topology t(Config(4,
                    "topology: LINK_TORUS_2D dims: 4 dims: 1 wraparound: false "
                    "wraparound: false link_bandwidth: \"10GB/s\" links_per_chip: 4 "
                    "link_latency: \"1us\""));
  LinkNetwork net(t);
  // Three hops: the payload is serialized once, the latency paid per hop.
  EXPECT_EQ(net.Reserve(0, 3, 1e6, Tick()), Tick::FromUs(3) + Seconds(1e6 / 10e9));
}

TEST(LinkNetwork, TwoTransfersIntoOneChipSerializeOnItsSwitchDownlink) {
  Topology t(Config(3,
                    "topology: LINK_SWITCH link_bandwidth: \"10GB/s\" "
                    "link_latency: \"1us\""));
  LinkNetwork net(t);
  const Tick ser = Seconds(1e6 / 10e9);
  const Tick a = net.Reserve(0, 2, 1e6, Tick());
  const Tick b = net.Reserve(1, 2, 1e6, Tick());
  EXPECT_EQ(a, Tick::FromUs(2) + ser);
  // b's head waits at switch->chip2 until a has passed: one more `ser`.
  EXPECT_EQ(b, Tick::FromUs(2) + ser * 2);
  EXPECT_EQ(net.busy_ps()[t.DownLink(2)], 2 * ser.ps());
  EXPECT_EQ(net.BusiestLink(), t.DownLink(2));
}

TEST(LinkNetwork, DisjointTransfersDoNotInterfere) {
  Topology t(Config(4,
                    "topology: LINK_SWITCH link_bandwidth: \"10GB/s\" "
                    "link_latency: \"1us\""));
  LinkNetwork net(t);
  const Tick alone = Tick::FromUs(2) + Seconds(1e6 / 10e9);
  EXPECT_EQ(net.Reserve(0, 1, 1e6, Tick()), alone);
  EXPECT_EQ(net.Reserve(2, 3, 1e6, Tick()), alone);
  EXPECT_EQ(net.Reserve(1, 0, 1e6, Tick()), alone);  // the other direction
}

TEST(LinkNetwork, HostTransfersUseTheChipsOwnPcieLink) {
  Topology t(Config(2,
                    "topology: LINK_FULLY_CONNECTED link_bandwidth: \"10GB/s\" "
                    "host { bandwidth: \"32GB/s\" latency: \"1us\" }"));
  LinkNetwork net(t);
  EXPECT_EQ(net.ReserveHost(1, true, 32e6, Tick()), Tick::FromUs(1) + Seconds(1e-3));
  EXPECT_EQ(net.busy_ps()[t.HostLink(1, true)], Seconds(1e-3).ps());
  Topology none(Config(2, "topology: LINK_FULLY_CONNECTED link_bandwidth: \"10GB/s\""));
  LinkNetwork bare(none);
  EXPECT_THROW(bare.ReserveHost(0, true, 1, Tick()), MappingError);
}

TEST(LinkNetwork, HottestRowsNameTheBusiestLinkFirst) {
  Topology t(Config(3, "topology: LINK_SWITCH link_bandwidth: \"10GB/s\""));
  LinkNetwork net(t);
  net.EnableTimeline(64, Tick::FromNs(100));
  net.Reserve(0, 2, 2e6, Tick());
  net.Reserve(1, 2, 2e6, Tick());
  net.Reserve(0, 1, 1e6, Tick());
  const auto rows = net.HottestRows(1, Tick::FromUs(500));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().component, "link switch->chip2");
  for (const auto& r : rows) EXPECT_EQ(r.component, "link switch->chip2");
}

}  // namespace
}  // namespace dsasim::arch
