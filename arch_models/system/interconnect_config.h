// File: arch_models/system/interconnect_config.h
//
// The chip-to-chip interconnect of a system (v1::InterconnectSpec) with its
// units resolved: times as Tick, bandwidths in bytes/s, and the derived
// shape (nodes, neighbour directions) that the topology is built from.
//
// Example:
//   v1::System system;
//   LoadMessage("arch_models/presets/dgx_h100.textproto", system);
//   InterconnectConfig c = ParseInterconnect(system, "preset dgx-h100");
//   c.PortBandwidth();   // 18 links × 25 GB/s = 450 GB/s into the switch
//
// Ports. Ring, torus and fully connected: a chip's `links_per_chip` links
// of `link_bandwidth` each are shared evenly by its neighbour directions in
// the full topology — ring 2, 2D torus 4, 3D torus 6, fully connected
// n − 1 — whether or not a direction has a neighbour (a torus axis without
// wraparound leaves its edge ports unconnected, as on hardware). Two
// directions that reach the same neighbour (a ring or wrapped axis of 2)
// add up. A switch: all links form one port into the switch, each way.
//
// Contract: ParseInterconnect checks the declared field ranges itself, then
// the consistency of the fields, and throws ConfigError naming `origin` and
// the field. A system of one chip needs no interconnect (topology
// LINK_TOPOLOGY_UNSPECIFIED is then accepted); its host link is still read.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "dsasim/v1/system.pb.h"
#include "sim/time.h"

namespace dsasim::arch {

// One direction of one link class.
struct LinkParams {
  double bandwidth = 0;           // bytes/s on the wire
  Tick latency;                   // head of a message from one end to the other
  Tick message_overhead;          // per message, occupies the link (protocol processing)
  double payload_efficiency = 1;  // payload bytes per wire byte
};

struct ProtocolParams {
  std::string name;
  Tick step_latency;
  double efficiency = 1;
};

struct CollectiveRuleParams {
  v1::CollectiveKind kind = v1::COLLECTIVE_KIND_UNSPECIFIED;
  // Applies to payloads (per participant) up to this many bytes.
  double max_bytes = std::numeric_limits<double>::infinity();
  v1::CollectiveAlgorithm algorithm = v1::COLLECTIVE_ALGORITHM_AUTO;
};

struct InterconnectConfig {
  int chips = 1;
  v1::LinkTopology topology = v1::LINK_TOPOLOGY_UNSPECIFIED;
  // One chip-to-chip link, one direction; the class every link of the
  // scale-up fabric uses (a port bundles several).
  LinkParams link;
  int links_per_chip = 1;
  // Torus: chips per axis; wraparound per axis.
  std::vector<int> dims;
  std::vector<bool> wraparound;
  // Switch topologies: one pass through a switch, and in-switch reduction.
  Tick switch_latency;
  bool switch_reduction = false;
  // Chips per node (LINK_TWO_LEVEL; `chips` otherwise) and node count.
  int chips_per_node = 1;
  int nodes = 1;
  // LINK_TWO_LEVEL: each chip's port into the scale-out network; its
  // bandwidth is the LinkSpec's bandwidth × count.
  LinkParams scale_out;
  // Each chip's host link (PCIe); bandwidth 0 when the system has none.
  LinkParams host;
  v1::CollectiveEngine engine = v1::COLLECTIVE_ENGINE_DEDICATED;
  std::vector<CollectiveRuleParams> rules;
  Tick collective_launch;
  // Never empty: one implicit protocol (no step latency, efficiency 1) when
  // the spec lists none.
  std::vector<ProtocolParams> protocols;

  bool IsSwitched() const {
    return topology == v1::LINK_SWITCH || topology == v1::LINK_TWO_LEVEL;
  }
  bool IsTorus() const {
    return topology == v1::LINK_TORUS_2D || topology == v1::LINK_TORUS_3D;
  }
  // Neighbour directions a chip's links are shared by (docs above); 1 for
  // a switch (one port).
  int PortDirections() const;
  // Bandwidth of one port in one direction: links_per_chip × link
  // bandwidth / PortDirections().
  double PortBandwidth() const;
};

InterconnectConfig ParseInterconnect(const v1::System& system, const std::string& origin);

// Whether `algorithm` can run `kind` on `config`'s topology at all (the
// rule the parser checks collective_rules against; a group may still rule
// it out, e.g. switch reduction across nodes). AUTO is always valid.
bool AlgorithmValid(const InterconnectConfig& config, v1::CollectiveKind kind,
                    v1::CollectiveAlgorithm algorithm);

}  // namespace dsasim::arch
