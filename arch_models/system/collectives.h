// File: arch_models/system/collectives.h
//
// The chip-to-chip interconnect as the executor sees it: point-to-point
// sends, host transfers and event-driven collectives over one LinkNetwork,
// on the machine's Simulator. Each participant of a collective arrives on
// its own; when the last one has, the whole collective is timed by
// reservation (collective_timing.h) and every participant's completion is
// posted as a simulator event.
//
// Example:
//   Interconnect ic(sim, ParseInterconnect(system, "dgx-h100"), {});
//   CollectiveCall ar{.kind = v1::COLLECTIVE_ALL_REDUCE, .group = {0, 1, 2, 3},
//                     .bytes = 64 << 20};
//   for (int chip : ar.group)
//     ic.Arrive(/*key=*/7, ar, chip, [](const CollectiveResult& r) { ... });
//   sim.Run();
//
// Contract:
//   - Arrive: every participant of one instance passes the same key, kind
//     and group (MappingError naming both calls otherwise), and for
//     AllReduce / AllGather / ReduceScatter the same bytes; each chip once.
//     `done` runs as an event at the participant's end, in rank order among
//     participants that end at the same tick.
//   - Each rank's transfers start no earlier than its arrival plus
//     collective_launch; a group of one chip completes at its arrival.
//   - Send: the bytes leave `src` at now + collective_launch; `done` runs
//     at arrival with (start of the first link, arrival).
//   - The links are shared by everything booked on them, in call order
//     (FCFS; link_network.h says what that approximates).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "arch_models/system/interconnect_config.h"
#include "arch_models/system/link_network.h"
#include "arch_models/system/topology.h"
#include "dsasim/v1/graph.pb.h"
#include "sim/simulator.h"

namespace dsasim::arch {

struct CollectiveCall {
  v1::CollectiveKind kind = v1::COLLECTIVE_KIND_UNSPECIFIED;
  std::vector<int> group;  // chip ids, in rank order
  double bytes = 0;        // this participant's input tensor bytes
  int element_bytes = 2;   // for reduction cost
  // Ragged all-to-all (MoE dispatch/combine): bytes this participant sends
  // to each group member, in group order; empty = bytes/n to each.
  std::vector<double> send_bytes;
  int root = 0;  // broadcast: rank of the root
};

struct CollectiveResult {    // one participant's view
  Tick arrived, start, end;  // start = when its first transfer began
  v1::CollectiveAlgorithm algorithm = v1::COLLECTIVE_ALGORITHM_AUTO;
  double link_bytes = 0;  // wire bytes this participant sent
  Tick core_busy;         // compute-core mode: time its cores spent reducing
  int rank = 0;
  // Index into InterconnectConfig::protocols of the protocol it ran with.
  int protocol = 0;
};

class Interconnect {
 public:
  // reduce_bytes_per_s[c]: how fast chip c's compute cores reduce (sum of
  // two inputs), for COLLECTIVE_ENGINE_COMPUTE_CORES; ignored otherwise.
  // Throws ConfigError when compute-core mode lacks a positive rate per chip.
  Interconnect(Simulator& sim, const InterconnectConfig& config,
               std::vector<double> reduce_bytes_per_s);
  ~Interconnect();
  Interconnect(const Interconnect&) = delete;
  Interconnect& operator=(const Interconnect&) = delete;

  // Point-to-point (send/recv): bytes from src to dst, starting now; done
  // at arrival.
  void Send(int src, int dst, double bytes,
            std::function<void(Tick start, Tick end)> done);
  // Host ↔ chip over the chip's host link (PCIe), starting now.
  void HostTransfer(int chip, bool to_host, double bytes,
                    std::function<void(Tick start, Tick end)> done);
  // One participant of a collective arrives now (contract above).
  void Arrive(uint64_t key, const CollectiveCall& call, int chip,
              std::function<void(const CollectiveResult&)> done);
  // Instances some participant has arrived at but not all.
  size_t pending_collectives() const { return pending_.size(); }

  // Per-link accounting.
  int num_links() const { return topology_.num_links(); }
  const std::string& LinkName(int link) const { return topology_.link(link).name; }
  const std::vector<int64_t>& link_busy_ps() const { return network_.busy_ps(); }
  const std::vector<double>& link_wire_bytes() const { return network_.wire_bytes(); }
  int BusiestLink() const { return network_.BusiestLink(); }
  // Timeline rows of the busiest links (LinkNetwork::HottestRows); call
  // EnableLinkTimeline before the run with the run timeline's bucket
  // budget and initial width.
  void EnableLinkTimeline(int max_buckets, Tick initial_width) {
    network_.EnableTimeline(max_buckets, initial_width);
  }
  std::vector<TimelineRecord> HottestLinkRows(int count, Tick end) {
    return network_.HottestRows(count, end);
  }

  const InterconnectConfig& config() const { return config_; }
  const Topology& topology() const { return topology_; }
  LinkNetwork& network() { return network_; }

 private:
  struct Instance;
  void Complete(Instance& instance);
  // Completion callbacks wait here, by slot, until their event fires.
  int Park(std::function<void()> fn);
  void Fire(int slot);

  Simulator& sim_;
  InterconnectConfig config_;
  Topology topology_;
  LinkNetwork network_;
  std::vector<double> reduce_bytes_per_s_;
  std::vector<Tick> core_free_;
  std::unordered_map<uint64_t, std::unique_ptr<Instance>> pending_;
  std::vector<std::function<void()>> parked_;
  std::vector<int> free_slots_;
};

}  // namespace dsasim::arch
