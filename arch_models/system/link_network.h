// File: arch_models/system/link_network.h
//
// The links of a Topology as first-come-first-served servers with a
// busy-until time, the chip-to-chip counterpart of MeshNoc
// (arch_models/interconnect/mesh_noc.h). No events: Reserve() books every
// link of a route and returns when the last byte has arrived; the caller
// schedules its own completion.
//
// Example:
//   LinkNetwork net(topology);
//   Tick done = net.Reserve(/*src_chip=*/0, /*dst_chip=*/1, 1 << 20, now);
//   // one link: done = now + overhead + (1 MiB / efficiency) / bandwidth + latency
//   net.ReserveHost(2, /*to_host=*/true, 4096, now);   // over chip2->host
//
// Mechanism (route links c_0 … c_k; w = payload / payload_efficiency of
// each link; o_i its message overhead, l_i its latency):
//   1. Cut-through: the head reaches c_i at h_i and the link starts at
//      s_i = max(h_i, free_i); h_{i+1} = s_i + o_i + l_i.
//   2. c_i is busy for o_i + w_i / bandwidth_i from s_i: the overhead is
//      per message and occupies the link (protocol processing), so many
//      small messages cost link time, not only latency.
//   3. The last byte arrives at max_i (e_i + l_i + … + l_k): a transfer is
//      limited by its slowest link, not by the sum of its links.
//   Uncontended on one link: o + w / bandwidth + l.
//
// Why this is acceptable: as on chip (docs/execution_model.md), each link's
// busy time and bytes — hence bandwidth bottlenecks and the hottest link —
// are exact; what FCFS skews is which of several concurrent transfers waits
// (the earlier caller goes first, where the hardware would share the link
// fairly and congestion control would pace senders). There are no credits,
// finite buffers or head-of-line blocking.
// REQUIRES: bytes >= 0; ready times need not be non-decreasing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arch_models/system/topology.h"
#include "sim/run_record.h"
#include "sim/time.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {

class LinkNetwork {
 public:
  // Where a message's head and its last byte are, between links.
  struct Flow {
    Tick head;
    Tick tail;
  };

  explicit LinkNetwork(const Topology& topology);

  // Reserves the route from `src_chip` to `dst_chip` (nothing when they are
  // equal: arrival = ready) and returns the arrival of the last byte.
  Tick Reserve(int src_chip, int dst_chip, double payload_bytes, Tick ready);
  // Over the chip's host link (PCIe). Throws MappingError without one.
  Tick ReserveHost(int chip, bool to_host, double payload_bytes, Tick ready);
  // Books one link of a cut-through path: `in` is where the message's head
  // and tail are when they reach it; returns them past the link. The
  // building block for paths that fork or join (in-switch reduction).
  Flow ReserveLink(int link, double payload_bytes, Flow in);
  // The first link's start of the last Reserve/ReserveHost (ready when the
  // route is empty).
  Tick last_start() const { return last_start_; }

  const Topology& topology() const { return topology_; }
  int num_links() const { return topology_.num_links(); }
  // Busy picoseconds and wire bytes per link since construction.
  const std::vector<int64_t>& busy_ps() const { return busy_ps_; }
  const std::vector<double>& wire_bytes() const { return wire_bytes_; }
  Tick LinkFree(int link) const { return free_.at(link); }
  // The link with the most busy time (ties: lowest index); -1 when none
  // was ever used.
  int BusiestLink() const;

  // Keeps each link's busy time over time from now on, in buckets that
  // line up with the run's timeline when given its bucket budget and
  // initial width (UtilizationTimeline::max_buckets, initial_width).
  // Memory stays bounded (buckets merge as the run grows).
  void EnableTimeline(int max_buckets, Tick initial_width);
  // Timeline rows up to `end` of the `count` links with the most busy time
  // (ties: lower index; links never used are left out), busiest first;
  // components are named "link " + the link's name ("link chip0->switch").
  // Empty unless EnableTimeline was called.
  std::vector<TimelineRecord> HottestRows(int count, Tick end);

 private:
  const Topology& topology_;
  std::vector<Tick> free_;
  std::vector<int64_t> busy_ps_;
  std::vector<double> wire_bytes_;
  std::unique_ptr<UtilizationTimeline> timeline_;
  Tick last_start_;
};

}  // namespace dsasim::arch
