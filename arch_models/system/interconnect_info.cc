#include "arch_models/system/interconnect_info.h"

namespace dsasim::arch {

const ComponentInfo& InterconnectInfo() {
  static const ComponentInfo info{
      "interconnect",
      "dsasim.v1.InterconnectSpec",
      "Chip-to-chip links (docs/multi_chip.md). Every link direction is a FCFS "
      "server; routes are Boost.Graph shortest paths with deterministic ties "
      "(dimension order on a torus), pipelined cut-through. Collectives run as "
      "schedules of point-to-point transfers (ring, bidirectional ring, binomial "
      "tree, direct, hierarchical) or in the switch (SHARP).",
      {{"topology", "enum", "(chips > 1: required)",
        "LINK_RING, LINK_TORUS_2D, LINK_TORUS_3D, LINK_SWITCH, LINK_FULLY_CONNECTED, "
        "LINK_TWO_LEVEL"},
       {"link_bandwidth", "B/s", "(chips > 1: required)", "one link, one direction"},
       {"link_latency", "s", "0", "head latency of one link"},
       {"links_per_chip", "count", "1",
        "ring/torus/fully connected: shared evenly by the neighbour directions "
        "(2, 4, 6, n − 1); switch: one port of all of them"},
       {"dims", "count", "(torus: required)", "chips per axis, axis 0 fastest"},
       {"wraparound", "bool", "every axis", "per torus axis"},
       {"message_overhead", "s", "0", "per message per link; occupies the link"},
       {"payload_efficiency", "fraction", "1", "payload bytes per wire byte"},
       {"switch_latency", "s", "0", "one pass through a switch"},
       {"switch_reduction", "bool", "false", "the switch reduces (NVLink SHARP)"},
       {"chips_per_node", "count", "chips", "LINK_TWO_LEVEL: chips per switch node"},
       {"scale_out", "LinkSpec", "(two-level: required)",
        "each chip's NIC into the scale-out switch: bandwidth × count, latency, "
        "payload_efficiency, message_overhead"},
       {"host", "LinkSpec", "none", "each chip's PCIe link to its host"},
       {"collective_engine", "enum", "COLLECTIVE_ENGINE_DEDICATED",
        "COLLECTIVE_ENGINE_DEDICATED (reductions at line rate) or "
        "COLLECTIVE_ENGINE_COMPUTE_CORES (each reduction costs the cores' time)"},
       {"collective_rules", "CollectiveRule", "none",
        "kind, max_bytes, algorithm: overrides the default algorithm rule"},
       {"collective_launch", "s", "0", "per call and participant (library launch)"},
       {"collective_protocols", "CollectiveProtocol", "one: 0 s, efficiency 1",
        "name, step_latency, efficiency; the least predicted time runs"}},
      {{"link_busy", "s", "busy time of each link direction"},
       {"link_wire_bytes", "B", "bytes on the wire of each link direction"},
       {"busiest_link", "name", "the link direction with the most busy time"},
       {"core_busy", "s", "compute-core mode: a participant's reduction time"}}};
  return info;
}

}  // namespace dsasim::arch
