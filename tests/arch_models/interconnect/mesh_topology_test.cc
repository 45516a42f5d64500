#include "arch_models/interconnect/mesh_topology.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

int Link(const MeshTopology& t, int x, int y, Direction d) {
  return MeshTopology::LinkIndex(t.RouterAt(x, y), d);
}

TEST(MeshTopology, XyRouteGoesAlongXThenY) {
  MeshTopology mesh(4, 4, /*torus=*/false);
  EXPECT_EQ(mesh.Route(mesh.RouterAt(0, 0), mesh.RouterAt(2, 1)),
            (std::vector<int>{Link(mesh, 0, 0, Direction::kPlusX),
                              Link(mesh, 1, 0, Direction::kPlusX),
                              Link(mesh, 2, 0, Direction::kPlusY)}));
  // The way back is not the same links reversed: X first again.
  EXPECT_EQ(mesh.Route(mesh.RouterAt(2, 1), mesh.RouterAt(0, 0)),
            (std::vector<int>{Link(mesh, 2, 1, Direction::kMinusX),
                              Link(mesh, 1, 1, Direction::kMinusX),
                              Link(mesh, 0, 1, Direction::kMinusY)}));
  EXPECT_EQ(mesh.Hops(mesh.RouterAt(0, 0), mesh.RouterAt(3, 3)), 6);
}

TEST(MeshTopology, ARouteToItsOwnRouterHasNoLinks) {
  MeshTopology mesh(3, 2, false);
  EXPECT_TRUE(mesh.Route(4, 4).empty());
  EXPECT_EQ(mesh.Hops(4, 4), 0);
}

TEST(MeshTopology, AMeshHasNoLinksLeavingItsEdges) {
  MeshTopology mesh(4, 3, false);
  // Per row 2 · (width − 1) directions, per column 2 · (height − 1).
  EXPECT_EQ(mesh.NumLinks(), 2 * 3 * 3 + 2 * 2 * 4);
  EXPECT_FALSE(mesh.HasLink(mesh.RouterAt(3, 1), Direction::kPlusX));
  EXPECT_FALSE(mesh.HasLink(mesh.RouterAt(0, 1), Direction::kMinusX));
  EXPECT_FALSE(mesh.HasLink(mesh.RouterAt(1, 0), Direction::kMinusY));
  EXPECT_TRUE(mesh.HasLink(mesh.RouterAt(1, 0), Direction::kPlusY));
  MeshTopology torus(4, 3, true);
  EXPECT_EQ(torus.NumLinks(), 4 * 12);
}

TEST(MeshTopology, TorusWrapsAroundWhenShorter) {
  MeshTopology torus(5, 5, true);
  // (0,0) → (4,0): one hop west over the wraparound link, not four east.
  EXPECT_EQ(torus.Route(torus.RouterAt(0, 0), torus.RouterAt(4, 0)),
            (std::vector<int>{Link(torus, 0, 0, Direction::kMinusX)}));
  EXPECT_EQ(torus.Neighbor(torus.RouterAt(0, 0), Direction::kMinusX),
            torus.RouterAt(4, 0));
  // (1,4) → (1,0): one hop south-to-north over the Y wraparound.
  EXPECT_EQ(torus.Route(torus.RouterAt(1, 4), torus.RouterAt(1, 0)),
            (std::vector<int>{Link(torus, 1, 4, Direction::kPlusY)}));
  // Shorter without wrapping: the direct way.
  EXPECT_EQ(torus.Route(torus.RouterAt(0, 0), torus.RouterAt(2, 0)).size(), 2u);
  MeshTopology mesh(5, 5, false);
  EXPECT_EQ(mesh.Hops(mesh.RouterAt(0, 0), mesh.RouterAt(4, 4)), 8);
  EXPECT_EQ(torus.Hops(torus.RouterAt(0, 0), torus.RouterAt(4, 4)), 2);
}

TEST(MeshTopology, TorusTieGoesInThePlusDirection) {
  MeshTopology torus(4, 4, true);
  // Half-way round a ring of 4 both ways take 2 hops; + is taken.
  EXPECT_EQ(torus.Route(torus.RouterAt(0, 0), torus.RouterAt(2, 0)),
            (std::vector<int>{Link(torus, 0, 0, Direction::kPlusX),
                              Link(torus, 1, 0, Direction::kPlusX)}));
  EXPECT_EQ(torus.Route(torus.RouterAt(2, 0), torus.RouterAt(0, 0)),
            (std::vector<int>{Link(torus, 2, 0, Direction::kPlusX),
                              Link(torus, 3, 0, Direction::kPlusX)}));
}

TEST(MeshTopology, LinksAreNamedByTheirEnds) {
  MeshTopology torus(4, 4, true);
  EXPECT_EQ(torus.LinkName(Link(torus, 0, 3, Direction::kPlusX)), "(0,3)→(1,3)");
  EXPECT_EQ(torus.LinkName(Link(torus, 0, 3, Direction::kMinusX)), "(0,3)→(3,3)");
}

TEST(MeshTopology, AnEmptyGridIsAConfigError) {
  EXPECT_THROW(MeshTopology(0, 4, false), ConfigError);
}

}  // namespace
}  // namespace dsasim::arch
