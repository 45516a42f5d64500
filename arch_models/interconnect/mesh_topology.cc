#include "arch_models/interconnect/mesh_topology.h"

#include <cstdlib>

#include "sim/error.h"

namespace dsasim::arch {

MeshTopology::MeshTopology(int width, int height, bool torus)
    : width_(width), height_(height), torus_(torus) {
  if (width <= 0 || height <= 0) {
    throw ConfigError("mesh topology: width and height must be > 0, got " +
                      std::to_string(width) + " × " + std::to_string(height));
  }
}

MeshTopology::Leg MeshTopology::LegOf(int from, int to, int size) const {
  if (!torus_) return {std::abs(to - from), to >= from};
  const int forward = ((to - from) % size + size) % size;
  const int backward = (size - forward) % size;
  // Ties (forward == backward, half-way round an even ring) go the + way:
  // any fixed choice keeps runs deterministic, and real dimension-order
  // routers make one too.
  if (forward <= backward) return {forward, true};
  return {backward, false};
}

bool MeshTopology::HasLink(int router, Direction d) const {
  const bool along_x = d == Direction::kPlusX || d == Direction::kMinusX;
  const int size = along_x ? width_ : height_;
  if (size == 1) return false;
  if (torus_) return true;
  const int at = along_x ? X(router) : Y(router);
  const bool plus = d == Direction::kPlusX || d == Direction::kPlusY;
  return plus ? at + 1 < size : at > 0;
}

int MeshTopology::NumLinks() const {
  int links = 0;
  for (int r = 0; r < routers(); ++r) {
    for (int d = 0; d < kNumDirections; ++d)
      links += HasLink(r, static_cast<Direction>(d));
  }
  return links;
}

int MeshTopology::Neighbor(int router, Direction d) const {
  const int x = X(router), y = Y(router);
  switch (d) {
    case Direction::kPlusX:
      return RouterAt((x + 1) % width_, y);
    case Direction::kMinusX:
      return RouterAt((x + width_ - 1) % width_, y);
    case Direction::kPlusY:
      return RouterAt(x, (y + 1) % height_);
    case Direction::kMinusY:
      return RouterAt(x, (y + height_ - 1) % height_);
  }
  return router;
}

int MeshTopology::Hops(int src, int dst) const {
  return LegOf(X(src), X(dst), width_).steps + LegOf(Y(src), Y(dst), height_).steps;
}

std::vector<int> MeshTopology::Route(int src, int dst) const {
  std::vector<int> links;
  ForEachLink(src, dst, [&links](int link) { links.push_back(link); });
  return links;
}

std::string MeshTopology::LinkName(int link) const {
  const int from = LinkRouter(link);
  const int to = Neighbor(from, LinkDirection(link));
  auto at = [this](int r) {
    return "(" + std::to_string(X(r)) + "," + std::to_string(Y(r)) + ")";
  };
  return at(from) + "→" + at(to);
}

}  // namespace dsasim::arch
