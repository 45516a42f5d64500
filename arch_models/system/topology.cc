#include "arch_models/system/topology.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cassert>
#include <limits>
#include <map>
#include <tuple>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

// The reference message that link weights price (docs in topology.h).
constexpr double kReferenceBytes = 1 << 20;
// Weights are time × kHopScale + 1, so equal times prefer fewer hops.
constexpr int64_t kHopScale = 1024;

std::string ChipName(int chip) { return "chip" + std::to_string(chip); }

int64_t Weight(const LinkParams& p) {
  const Tick t =
      p.latency + p.message_overhead +
      Tick::FromSeconds(kReferenceBytes / (p.bandwidth * p.payload_efficiency));
  return t.ps() * kHopScale + 1;
}

}  // namespace

Topology::Topology(const InterconnectConfig& config) : config_(config) {
  for (int c = 0; c < config_.chips; ++c) AddNode(ChipName(c));
  switch (config_.topology) {
    case v1::LINK_RING:
    case v1::LINK_TORUS_2D:
    case v1::LINK_TORUS_3D:
      BuildRingOrTorus();
      break;
    case v1::LINK_FULLY_CONNECTED:
      BuildFullyConnected();
      break;
    case v1::LINK_SWITCH:
    case v1::LINK_TWO_LEVEL:
      BuildSwitches();
      break;
    default:
      break;  // one chip, no links
  }
  if (config_.host.bandwidth > 0) {
    const int host = AddNode("host");
    for (int c = 0; c < config_.chips; ++c) {
      host_links_.push_back(AddLink(c, host, config_.host));
      links_.back().name = ChipName(c) + "->host";
      host_links_.push_back(AddLink(host, c, config_.host));
      links_.back().name = "host->" + ChipName(c);
    }
  }
}

int Topology::AddNode(std::string name) {
  node_names_.push_back(std::move(name));
  out_links_.emplace_back();
  return num_nodes() - 1;
}

int Topology::AddLink(int from, int to, const LinkParams& params, int tie_rank) {
  links_.push_back(
      {from, to, params, node_names_[from] + "->" + node_names_[to], tie_rank});
  out_links_[from].push_back(num_links() - 1);
  return num_links() - 1;
}

int Topology::Coordinate(int chip, int axis) const {
  if (!config_.IsTorus()) return axis == 0 ? chip : 0;
  for (int a = 0; a < axis; ++a) chip /= config_.dims[a];
  return chip % config_.dims[axis];
}

void Topology::BuildRingOrTorus() {
  // A ring is a torus of one wrapped axis.
  const std::vector<int> dims =
      config_.topology == v1::LINK_RING ? std::vector<int>{config_.chips} : config_.dims;
  const std::vector<bool> wrap =
      config_.topology == v1::LINK_RING ? std::vector<bool>{true} : config_.wraparound;
  const double port = config_.PortBandwidth();
  for (int chip = 0; chip < config_.chips; ++chip) {
    // Neighbour → (bandwidth, lowest tie rank): two directions reaching the
    // same neighbour (an axis of 2 that wraps) form one link of both ports.
    std::map<int, std::pair<double, int>> neighbours;
    int stride = 1;
    for (size_t axis = 0; axis < dims.size(); ++axis) {
      const int d = dims[axis];
      const int x = (chip / stride) % d;
      for (int sign : {+1, -1}) {
        int nx = x + sign;
        if (nx < 0 || nx >= d) {
          if (!wrap[axis] || d < 2) continue;
          nx = (nx + d) % d;
        }
        if (nx == x) continue;
        const int neighbour = chip + (nx - x) * stride;
        const int rank = 2 * static_cast<int>(axis) + (sign > 0 ? 0 : 1);
        auto [it, fresh] = neighbours.try_emplace(neighbour, 0.0, rank);
        it->second.first += port;
        it->second.second = std::min(it->second.second, rank);
      }
      stride *= d;
    }
    std::vector<std::tuple<int, int, double>> ordered;  // rank, neighbour, bw
    for (auto& [n, v] : neighbours) ordered.emplace_back(v.second, n, v.first);
    std::sort(ordered.begin(), ordered.end());
    for (auto& [rank, n, bw] : ordered) {
      LinkParams p = config_.link;
      p.bandwidth = bw;
      AddLink(chip, n, p, rank);
    }
  }
}

void Topology::BuildFullyConnected() {
  LinkParams p = config_.link;
  p.bandwidth = config_.PortBandwidth();
  for (int a = 0; a < config_.chips; ++a) {
    for (int b = 0; b < config_.chips; ++b) {
      if (a != b) AddLink(a, b, p);
    }
  }
}

void Topology::BuildSwitches() {
  LinkParams up = config_.link;
  up.bandwidth = config_.PortBandwidth();
  // The switch's own pass is charged on the link leaving it.
  LinkParams down = up;
  down.latency = down.latency + config_.switch_latency;
  const bool two_level = config_.topology == v1::LINK_TWO_LEVEL;
  std::vector<int> switches;
  for (int n = 0; n < config_.nodes; ++n) {
    switches.push_back(
        AddNode(two_level ? "node" + std::to_string(n) + ".switch" : "switch"));
  }
  for (int c = 0; c < config_.chips; ++c) {
    const int sw = switches[NodeOfChip(c)];
    up_links_.push_back(AddLink(c, sw, up));
    down_links_.push_back(AddLink(sw, c, down));
  }
  if (two_level) {
    const int scale_out = AddNode("scaleout");
    for (int c = 0; c < config_.chips; ++c) AddLink(c, scale_out, config_.scale_out);
    for (int c = 0; c < config_.chips; ++c) AddLink(scale_out, c, config_.scale_out);
  }
}

int Topology::NodeOfChip(int chip) const {
  return config_.topology == v1::LINK_TWO_LEVEL ? chip / config_.chips_per_node : 0;
}

int Topology::HostLink(int chip, bool to_host) const {
  if (host_links_.empty()) return -1;
  return host_links_.at(2 * chip + (to_host ? 0 : 1));
}

const std::vector<int>& Topology::Route(int src, int dst) const {
  if (src < 0 || src >= chips() || dst < 0 || dst >= chips()) {
    throw MappingError("route from chip " + std::to_string(src) + " to chip " +
                       std::to_string(dst) + ": the system has chips 0.." +
                       std::to_string(chips() - 1));
  }
  const uint64_t key = static_cast<uint64_t>(src) << 32 | static_cast<uint32_t>(dst);
  auto it = routes_.find(key);
  if (it == routes_.end()) it = routes_.emplace(key, ComputeRoute(src, dst)).first;
  return it->second;
}

Tick Topology::RouteLatency(int src, int dst) const {
  Tick t;
  for (int l : Route(src, dst)) t += links_[l].params.latency;
  return t;
}

std::vector<int> Topology::ComputeRoute(int src, int dst) const {
  if (src == dst) return {};
  auto it = distance_to_.find(dst);
  if (it == distance_to_.end()) {
    // Dijkstra from `dst` over the reversed links gives every node's
    // distance to it. Host links are left out: a host is no transit.
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                        boost::no_property,
                                        boost::property<boost::edge_weight_t, int64_t>>;
    Graph reversed(num_nodes());
    const int host_node = host_links_.empty() ? -1 : links_[host_links_[0]].to;
    for (const Link& l : links_) {
      if (l.from == host_node || l.to == host_node) continue;
      boost::add_edge(l.to, l.from, Weight(l.params), reversed);
    }
    std::vector<int64_t> distance(num_nodes());
    boost::dijkstra_shortest_paths(
        reversed, dst,
        boost::distance_map(boost::make_iterator_property_map(
            distance.begin(), boost::get(boost::vertex_index, reversed))));
    it = distance_to_.emplace(dst, std::move(distance)).first;
  }
  const std::vector<int64_t>& distance = it->second;
  const int64_t unreachable = std::numeric_limits<int64_t>::max();
  if (distance[src] == unreachable) {
    throw MappingError("no route from chip " + std::to_string(src) + " to chip " +
                       std::to_string(dst) + " on " +
                       v1::LinkTopology_Name(config_.topology));
  }
  std::vector<int> route;
  for (int node = src; node != dst;) {
    int best = -1;
    for (int l : out_links_[node]) {
      const Link& link = links_[l];
      if (distance[link.to] == unreachable ||
          distance[link.to] + Weight(link.params) != distance[node]) {
        continue;
      }
      if (best < 0 || std::tie(link.tie_rank, link.to) <
                          std::tie(links_[best].tie_rank, links_[best].to)) {
        best = l;
      }
    }
    assert(best >= 0);
    route.push_back(best);
    node = links_[best].to;
  }
  return route;
}

}  // namespace dsasim::arch
