// File: arch_models/interconnect/mesh_topology.h
//
// A width × height grid of routers, each joined to its four neighbours by one
// link in each direction, with (torus) or without (mesh) wraparound links,
// and dimension-order routing over it: first along X, then along Y.
//
// Example:
//   MeshTopology mesh(/*width=*/4, /*height=*/4, /*torus=*/false);
//   int src = mesh.RouterAt(0, 0), dst = mesh.RouterAt(2, 1);
//   mesh.Hops(src, dst);                       // 3
//   mesh.ForEachLink(src, dst, [](int link) { ... });
//   // (0,0)→(1,0), (1,0)→(2,0), (2,0)→(2,1)
//
// Contract.
//   1. Routers are numbered row-major: router = y · width + x.
//   2. A link is identified by the router it leaves and its direction:
//      LinkIndex(router, d) = 4 · router + d, dense in [0, 4 · routers()).
//      On a mesh the indices of links that would leave the grid exist but
//      are never on a route; NumLinks() counts only the links that exist.
//   3. On a mesh a route is XY (dimension-order) routing: deadlock-free and
//      minimal. On a torus each dimension goes the shorter way round, using
//      the wraparound link when that is shorter; when both ways are equally
//      long (an even ring, half-way) it goes in the + direction, so routes
//      are deterministic. A route from a router to itself has no links.
//   4. Routing is oblivious: the route depends only on source and
//      destination, never on load (as on Wormhole's NoCs and BookSim's
//      `dor` routing).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dsasim::arch {

enum class Direction : uint8_t { kPlusX = 0, kMinusX = 1, kPlusY = 2, kMinusY = 3 };
inline constexpr int kNumDirections = 4;

class MeshTopology {
 public:
  // Throws ConfigError unless width, height > 0.
  MeshTopology(int width, int height, bool torus);

  int width() const { return width_; }
  int height() const { return height_; }
  bool torus() const { return torus_; }
  int routers() const { return width_ * height_; }
  int X(int router) const { return router % width_; }
  int Y(int router) const { return router / width_; }
  int RouterAt(int x, int y) const { return y * width_ + x; }

  static int LinkIndex(int router, Direction d) {
    return router * kNumDirections + static_cast<int>(d);
  }
  static int LinkRouter(int link) { return link / kNumDirections; }
  static Direction LinkDirection(int link) {
    return static_cast<Direction>(link % kNumDirections);
  }
  // Size of the link index space, 4 · routers().
  int LinkIndexSpace() const { return kNumDirections * routers(); }
  // Whether the link exists: on a mesh no link leaves the grid; on a torus
  // a dimension of size 1 has no links.
  bool HasLink(int router, Direction d) const;
  // Link directions that exist (the `noc` timeline's capacity).
  int NumLinks() const;
  // The router at the far end of an existing link.
  int Neighbor(int router, Direction d) const;

  int Hops(int src, int dst) const;
  // Calls visit(link_index) for each link of the route from router `src` to
  // router `dst`, in the order a packet crosses them.
  template <typename Visit>
  void ForEachLink(int src, int dst, Visit&& visit) const;
  std::vector<int> Route(int src, int dst) const;

  // "(0,3)→(1,3)".
  std::string LinkName(int link) const;

 private:
  // One dimension's part of a route: how many steps, which way.
  struct Leg {
    int steps;
    bool plus;
  };
  Leg LegOf(int from, int to, int size) const;

  int width_;
  int height_;
  bool torus_;
};

template <typename Visit>
void MeshTopology::ForEachLink(int src, int dst, Visit&& visit) const {
  int x = X(src), y = Y(src);
  const Leg along_x = LegOf(x, X(dst), width_);
  const Direction dx = along_x.plus ? Direction::kPlusX : Direction::kMinusX;
  for (int i = 0; i < along_x.steps; ++i) {
    visit(LinkIndex(RouterAt(x, y), dx));
    x = along_x.plus ? (x + 1) % width_ : (x + width_ - 1) % width_;
  }
  const Leg along_y = LegOf(y, Y(dst), height_);
  const Direction dy = along_y.plus ? Direction::kPlusY : Direction::kMinusY;
  for (int i = 0; i < along_y.steps; ++i) {
    visit(LinkIndex(RouterAt(x, y), dy));
    y = along_y.plus ? (y + 1) % height_ : (y + height_ - 1) % height_;
  }
}

}  // namespace dsasim::arch
