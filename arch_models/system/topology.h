// File: arch_models/system/topology.h
//
// The chip-to-chip network as a directed graph: nodes are chips, switches
// (one per node of a switch fabric, and the scale-out switch of a two-level
// system); every link direction is an edge with its own bandwidth, latency,
// per-message overhead and payload efficiency. Each chip also has a link to
// its host and one back (PCIe); they carry host transfers only and are
// never part of a chip-to-chip route.
//
// Example:
//   Topology t(ParseInterconnect(system, "dgx-h100"));
//   for (int link : t.Route(0, 5)) t.link(link).name;  // "chip0->switch",
//   "switch->chip5" t.HostLink(2, /*to_host=*/true);                    // "chip2->host"
//
// Names: "chip0->chip1"; "chip3->switch" and "switch->chip3" (LINK_SWITCH);
// "chip9->node1.switch", "node1.switch->chip9", "chip5->scaleout",
// "scaleout->chip12" (LINK_TWO_LEVEL); "chip2->host", "host->chip2".
//
// Routes are shortest paths (Boost.Graph Dijkstra) by zero-load time of a
// 1 MiB message: a link weighs latency + message overhead + 1 MiB / (its
// bandwidth × payload efficiency), so a two-level system keeps intra-node
// traffic on the switch fabric rather than the NICs. Ties are broken
// deterministically, hop by hop from the source: among the next links that
// stay on a shortest path (then on fewest hops), the one with the lowest
// tie rank, then the lowest next-node index. On a torus a link's rank is
// 2 · axis + (0 for the + direction, 1 for −), which makes routes
// dimension-ordered (axis 0 first) and sends a half-way tie on an even
// wrapped axis the + way, as the on-chip torus does; elsewhere every link
// ranks 0. Routes are cached.
//
// Torus chips are numbered with axis 0 fastest: chip = x0 + d0·(x1 + d1·x2).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "arch_models/system/interconnect_config.h"

namespace dsasim::arch {

class Topology {
 public:
  struct Link {
    int from = 0;  // node index
    int to = 0;
    LinkParams params;
    std::string name;
    int tie_rank = 0;
  };

  explicit Topology(const InterconnectConfig& config);

  int chips() const { return config_.chips; }
  int num_nodes() const { return static_cast<int>(node_names_.size()); }
  const std::string& node_name(int node) const { return node_names_.at(node); }
  int num_links() const { return static_cast<int>(links_.size()); }
  const Link& link(int index) const { return links_.at(index); }
  const InterconnectConfig& config() const { return config_; }

  // Links from chip `src` to chip `dst` in route order; empty when src ==
  // dst. Throws MappingError when no route exists or a chip is out of range.
  const std::vector<int>& Route(int src, int dst) const;
  // Sum of the route's link latencies (zero-load head latency).
  Tick RouteLatency(int src, int dst) const;
  // The host link of `chip` (to or from its host); -1 when the system has
  // no host link.
  int HostLink(int chip, bool to_host) const;

  // The switch node whose fabric `chip` hangs on (-1 off switches), and the
  // scale-up link from `chip` into it / out of it to `chip`.
  int NodeOfChip(int chip) const;  // two-level node (0 elsewhere)
  int UpLink(int chip) const { return up_links_.empty() ? -1 : up_links_.at(chip); }
  int DownLink(int chip) const { return down_links_.empty() ? -1 : down_links_.at(chip); }
  // Torus coordinate of `chip` on `axis`.
  int Coordinate(int chip, int axis) const;

 private:
  int AddNode(std::string name);
  int AddLink(int from, int to, const LinkParams& params, int tie_rank = 0);
  void BuildRingOrTorus();
  void BuildFullyConnected();
  void BuildSwitches();
  std::vector<int> ComputeRoute(int src, int dst) const;

  InterconnectConfig config_;
  std::vector<std::string> node_names_;
  std::vector<Link> links_;
  std::vector<std::vector<int>> out_links_;  // per node
  std::vector<int> host_links_;              // 2 per chip: to host, from host
  std::vector<int> up_links_, down_links_;   // switch topologies
  mutable std::unordered_map<uint64_t, std::vector<int>> routes_;
  // Per destination chip: every node's weighted distance to it (computed
  // on first use).
  mutable std::unordered_map<int, std::vector<int64_t>> distance_to_;
};

}  // namespace dsasim::arch
