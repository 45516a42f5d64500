// File: arch_models/system/collective_schedule.h
//
// A collective algorithm as data: the point-to-point transfers between the
// ranks of a group, each with the transfers it waits for. The builders
// here (one file per algorithm family: schedule_ring.cc, schedule_tree.cc,
// schedule_direct.cc, schedule_hierarchical.cc) know nothing of links or
// time; collective_timing.h runs a schedule over a LinkNetwork.
//
// Example (ring AllReduce on 4 ranks of S bytes):
//   Schedule s = BuildSchedule({.kind = COLLECTIVE_ALL_REDUCE,
//                               .algorithm = COLLECTIVE_ALGORITHM_RING,
//                               .ranks = 4, .bytes = {S, S, S, S}});
//   // 2·3 steps of 4 transfers of S/4; step k of rank r waits for step
//   // k − 1's transfer into r; the first 3 steps reduce on arrival.
//
// Contract:
//   - Transfers are listed in the order they are to be reserved: step by
//     step (every rank's step k before any step k + 1), so that links are
//     booked FCFS in the order the data would flow. `after` indices are
//     always smaller than the transfer's own.
//   - A transfer may start once its source rank has arrived (plus the
//     launch cost) and every transfer in `after` has landed at the source
//     and, if it reduces, been reduced there.
//   - `reduce`: the destination adds the payload into its buffer on
//     arrival (a reduction of `bytes` bytes).
//   - Chunks are store-and-forward: a ring step forwards a chunk only once
//     the whole chunk has arrived (NCCL pipelines slices inside a chunk;
//     at the sizes where that matters the per-step cost dominates anyway).
#pragma once

#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "dsasim/v1/system.pb.h"

namespace dsasim::arch {

struct ScheduledTransfer {
  int src = 0;  // rank
  int dst = 0;  // rank
  double bytes = 0;
  bool reduce = false;
  std::vector<int> after;
};

struct Schedule {
  std::vector<ScheduledTransfer> transfers;
  // In-switch reduction (COLLECTIVE_ALGORITHM_SWITCH_REDUCE): every rank
  // sends `switch_reduce_bytes` into the switch once and receives the
  // reduced result once; no point-to-point transfers.
  double switch_reduce_bytes = 0;
};

struct ScheduleRequest {
  v1::CollectiveKind kind = v1::COLLECTIVE_KIND_UNSPECIFIED;
  v1::CollectiveAlgorithm algorithm = v1::COLLECTIVE_ALGORITHM_RING;
  int ranks = 1;
  // Each rank's input bytes (the call's `bytes`).
  std::vector<double> bytes;
  // All-to-all: send_bytes[src][dst]; empty rows = bytes / ranks to each.
  std::vector<std::vector<double>> send_bytes;
  int root = 0;  // broadcast
  // Hierarchical: the inner groups (ranks of one node, or of one line
  // along torus axis 0), each in rank order, all of one size; outer group
  // j is the j-th rank of every inner group.
  std::vector<std::vector<int>> inner_groups;
};

// Throws MappingError when the algorithm cannot run the request (e.g.
// hierarchical without balanced inner groups).
Schedule BuildSchedule(const ScheduleRequest& request);

// Appends transfers and tracks, per rank, what its next sends wait for.
class ScheduleBuilder {
 public:
  ScheduleBuilder(Schedule& schedule, int ranks) : s_(schedule), frontier_(ranks) {}
  // A transfer that waits for `after`; returns its index.
  int Add(int src, int dst, double bytes, bool reduce, std::vector<int> after);
  // What rank r's next phase waits for: every transfer into r since the
  // last EndPhase (or the previous frontier, if none came in).
  const std::vector<int>& frontier(int rank) const { return frontier_[rank]; }
  // Makes the transfers into each rank since the last EndPhase its
  // frontier.
  void EndPhase();

 private:
  Schedule& s_;
  std::vector<std::vector<int>> frontier_;
  std::vector<std::vector<int>> incoming_;
};

// The algorithm families (one file each). `ranks` lists the ranks taking
// part, in ring order; bytes are per rank.
// Ring reduce-scatter of `bytes` (|ranks| − 1 steps of bytes / |ranks|,
// reducing), and ring all-gather of `piece` per rank (|ranks| − 1 steps).
// `bidirectional`: half the data each way round.
void RingReduceScatter(ScheduleBuilder& b, const std::vector<int>& ranks, double bytes,
                       bool bidirectional);
void RingAllGather(ScheduleBuilder& b, const std::vector<int>& ranks, double piece,
                   bool bidirectional);
// Broadcast of `bytes` from ranks[root] along the ring in kBroadcastChunks
// pipelined chunks (half each way when bidirectional).
void RingBroadcast(ScheduleBuilder& b, const std::vector<int>& ranks, int root,
                   double bytes, bool bidirectional);
inline constexpr int kBroadcastChunks = 8;
// Binomial trees (whole buffer per message).
void TreeAllReduce(ScheduleBuilder& b, int ranks, double bytes);
void TreeBroadcast(ScheduleBuilder& b, int ranks, int root, double bytes);
// Pairwise: every rank sends to every other at once.
void DirectSchedule(ScheduleBuilder& b, const ScheduleRequest& request);
void HierarchicalSchedule(ScheduleBuilder& b, const ScheduleRequest& request);

}  // namespace dsasim::arch
