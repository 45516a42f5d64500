#include "arch_models/interconnect/mesh_noc.h"

#include <gtest/gtest.h>

#include "arch_models/catalog.h"
#include "sim/error.h"

namespace dsasim::arch {
namespace {

constexpr double kLink = 32e9;  // B/s: Wormhole's 32 B/cycle at 1 GHz
const Tick kHop = Tick::FromNs(9);

// A width × height grid with one endpoint per router (endpoint = router).
MeshNocConfig Grid(int width, int height, bool torus = false,
                   Tick endpoint_latency = Tick()) {
  MeshNocConfig c;
  c.width = width;
  c.height = height;
  c.torus = torus;
  c.link_bandwidth = kLink;
  c.endpoint_bandwidth = kLink;
  c.hop_latency = kHop;
  c.endpoint_latency = endpoint_latency;
  for (int r = 0; r < width * height; ++r) c.endpoint_routers.push_back(r);
  return c;
}

Tick Serialize(double bytes, double bandwidth = kLink) {
  return Tick::FromSeconds(bytes / bandwidth);
}

TEST(MeshNoc, UncontendedTransferCostsHopsTimesLatencyPlusSerialization) {
  MeshNoc noc(Grid(4, 4));
  const int src = noc.topology().RouterAt(0, 0), dst = noc.topology().RouterAt(3, 2);
  const Tick start = Tick::FromNs(100);
  const double bytes = 4096;
  // 3 hops along X, 2 along Y; channels pipeline, so the payload is
  // serialized once, not once per hop.
  EXPECT_EQ(noc.Transfer(src, dst, bytes, start), start + kHop * 5 + Serialize(bytes));
}

TEST(MeshNoc, EndpointLatencyIsPaidOnTheWayInAndOnTheWayOut) {
  const Tick niu = Tick::FromNs(5);
  MeshNoc noc(Grid(4, 4, false, niu));
  const int src = noc.topology().RouterAt(1, 1), dst = noc.topology().RouterAt(1, 3);
  EXPECT_EQ(noc.Transfer(src, dst, 8192, Tick()), niu * 2 + kHop * 2 + Serialize(8192));
  EXPECT_EQ(noc.PathLatency(src, dst), niu * 2 + kHop * 2);
  // Between two endpoints of one router only the two interface crossings.
  EXPECT_EQ(noc.PathLatency(src, src), niu * 2);
}

TEST(MeshNoc, TwoFlowsSharingALinkSerializeOnIt) {
  MeshNoc noc(Grid(4, 1));
  const double bytes = 65536;
  const Tick ser = Serialize(bytes);
  // A: 0 → 2 over links 0→1, 1→2. B: 1 → 3 over links 1→2, 2→3. They share
  // 1→2, and both start at t = 0.
  const Tick a = noc.Transfer(0, 2, bytes, Tick());
  const Tick b = noc.Transfer(1, 3, bytes, Tick());
  EXPECT_EQ(a, kHop * 2 + ser);  // first come, uncontended
  // A holds 1→2 from t = hop (its head's arrival) for `ser`; B's head is
  // there at t = 0 but waits until hop + ser, then takes one hop to 2→3 and
  // one to its ejection channel: done = (hop + ser) + 2·hop + ser
  // = 3·hop + 2·ser, i.e. hop + ser later than alone (2·hop + ser).
  EXPECT_EQ(b, kHop * 3 + ser * 2);
  const int shared = MeshTopology::LinkIndex(1, Direction::kPlusX);
  EXPECT_EQ(noc.busy_ps()[shared], 2 * ser.ps());
  // Throughput: two payloads over one link take at least two serializations.
  EXPECT_GE(b, ser * 2);
}

TEST(MeshNoc, DisjointFlowsDoNotInterfere) {
  MeshNoc noc(Grid(4, 4));
  const MeshTopology& t = noc.topology();
  const double bytes = 65536;
  const Tick alone = kHop + Serialize(bytes);
  // Three one-hop flows with no channel in common, and a flow against the
  // direction of the first: a link's two directions are separate channels.
  EXPECT_EQ(noc.Transfer(t.RouterAt(0, 0), t.RouterAt(1, 0), bytes, Tick()), alone);
  EXPECT_EQ(noc.Transfer(t.RouterAt(2, 0), t.RouterAt(3, 0), bytes, Tick()), alone);
  EXPECT_EQ(noc.Transfer(t.RouterAt(0, 1), t.RouterAt(0, 2), bytes, Tick()), alone);
  EXPECT_EQ(noc.Transfer(t.RouterAt(1, 0), t.RouterAt(0, 0), bytes, Tick()), alone);
}

TEST(MeshNoc, TorusWrapsAroundWhenShorter) {
  const double bytes = 4096;
  MeshNoc mesh(Grid(8, 1, false)), torus(Grid(8, 1, true));
  // 0 → 7: seven hops east on the mesh, one hop west round the torus.
  EXPECT_EQ(mesh.Transfer(0, 7, bytes, Tick()), kHop * 7 + Serialize(bytes));
  EXPECT_EQ(torus.Transfer(0, 7, bytes, Tick()), kHop + Serialize(bytes));
  const MeshNoc::Reservation& link = torus.last_reservations()[1];
  EXPECT_EQ(link.channel, MeshTopology::LinkIndex(0, Direction::kMinusX));
}

TEST(MeshNoc, TwoFlowsIntoOneCoreSerializeOnItsEjectionChannel) {
  MeshNoc noc(Grid(3, 1));
  const double bytes = 65536;
  const Tick ser = Serialize(bytes);
  // 0 → 1 and 2 → 1 arrive over different links but leave the network
  // through core 1's one ejection channel.
  EXPECT_EQ(noc.Transfer(0, 1, bytes, Tick()), kHop + ser);
  EXPECT_EQ(noc.Transfer(2, 1, bytes, Tick()), kHop + ser * 2);
}

TEST(MeshNoc, AWideEndpointChannelLeavesTheLinkAsTheBottleneck) {
  MeshNocConfig c = Grid(4, 1);
  c.endpoint_bandwidth = 2 * kLink;  // two NoCs' worth, as on Wormhole
  MeshNoc noc(c);
  const double bytes = 65536;
  // The transfer is limited by its slowest channel, the link.
  EXPECT_EQ(noc.Transfer(0, 3, bytes, Tick()), kHop * 3 + Serialize(bytes));
  // Two flows from one endpoint to two destinations in opposite directions
  // share only the (wide) injection channel: the second starts half a link
  // serialization later.
  MeshNoc wide(c);
  EXPECT_EQ(wide.Transfer(1, 3, bytes, Tick()), kHop * 2 + Serialize(bytes));
  EXPECT_EQ(wide.Transfer(1, 0, bytes, Tick()),
            Serialize(bytes, 2 * kLink) + kHop + Serialize(bytes));
}

TEST(MeshNoc, ATransferReservesItsInjectionChannelItsLinksAndItsEjectionChannel) {
  MeshNoc noc(Grid(4, 4));
  const MeshTopology& t = noc.topology();
  const int src = t.RouterAt(3, 3), dst = t.RouterAt(1, 2);
  noc.Transfer(src, dst, 1024, Tick());
  const auto& r = noc.last_reservations();
  ASSERT_EQ(r.size(), 2u + t.Hops(src, dst));
  EXPECT_EQ(r.front().channel, noc.InjectionChannel(src));
  EXPECT_EQ(r.back().channel, noc.EjectionChannel(dst));
  for (size_t i = 1; i + 1 < r.size(); ++i) {
    EXPECT_TRUE(noc.IsLink(r[i].channel));
    EXPECT_EQ(noc.busy_ps()[r[i].channel], Serialize(1024).ps());
    // Cut-through: each link starts one hop after the one before.
    if (i > 1) {
      EXPECT_EQ(r[i].start, r[i - 1].start + kHop);
    }
  }
}

TEST(MeshNoc, ReplayedBusyTimeAddsToTheChannels) {
  MeshNoc noc(Grid(2, 1));
  std::vector<int64_t> delta(noc.num_channels(), 0);
  delta[MeshTopology::LinkIndex(0, Direction::kPlusX)] = 1234;
  noc.AddBusy(delta);
  noc.AddBusy(delta);
  EXPECT_EQ(noc.busy_ps()[MeshTopology::LinkIndex(0, Direction::kPlusX)], 2468);
}

TEST(MeshNoc, BadConfigurationIsAConfigError) {
  MeshNocConfig off_grid = Grid(2, 2);
  off_grid.endpoint_routers.push_back(4);
  EXPECT_THROW(MeshNoc{off_grid}, ConfigError);
  MeshNocConfig no_bandwidth = Grid(2, 2);
  no_bandwidth.link_bandwidth = 0;
  EXPECT_THROW(MeshNoc{no_bandwidth}, ConfigError);
}

TEST(MeshNoc, IsInTheComponentCatalog) {
  const ComponentInfo* noc = ComponentCatalog().Find("noc");
  ASSERT_NE(noc, nullptr);
  EXPECT_EQ(noc->config_message, "dsasim.v1.NocSpec");
}

}  // namespace
}  // namespace dsasim::arch
