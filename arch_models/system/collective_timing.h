// File: arch_models/system/collective_timing.h
//
// Runs a collective's Schedule over the LinkNetwork by reservation, once
// every participant has arrived, and picks the protocol it runs with. No
// events: the Interconnect posts each participant's completion.
//
// Example:
//   ScheduleTiming t = RunSchedule(network, core_free, {.schedule = s,
//       .chips = {0, 1, 2, 3}, .ready = {t0, t0, t1, t0},
//       .protocol = config.protocols[0], .reduce_on_cores = false});
//   t.ranks[2].end;   // when rank 2's output is complete
//
// Mechanism. Transfers are reserved in schedule order. Transfer i of rank
// r leaves at max(ready[r], the time every transfer in its `after` is
// done at r) + the protocol's step latency, carries bytes / the protocol's
// efficiency through LinkNetwork::Reserve, and lands at its destination.
// A reducing transfer is done when it has landed, with a dedicated engine
// (reduction at line rate, in the engine), or, on compute cores, when the
// destination chip's cores — one FCFS server per chip, shared by every
// collective — have summed its bytes at reduce_bytes_per_s; that time is
// the rank's core_busy. A rank's output is complete at the latest of its
// ready time, every transfer into it done and every transfer from it
// landed.
// In-switch reduction: each rank's payload crosses its link into the switch
// once and the reduced result its link out once; the switch reduces as the
// data streams (cut-through), so the result starts out of the switch when
// the last input's head has arrived and ends no earlier than the last
// input's tail.
//
// Protocol choice (NCCL's tuner in miniature): the predicted time of a
// schedule under protocol p is the longest chain of dependent messages,
// each costing p's step latency plus its route's latencies and overheads,
// plus the busiest link's wire bytes / (p's efficiency × its bandwidth),
// all on an idle network. The protocol with the least prediction runs
// (ties: the first listed).
#pragma once

#include <vector>

#include "arch_models/system/collective_schedule.h"
#include "arch_models/system/link_network.h"

namespace dsasim::arch {

struct RankTiming {
  Tick start;             // its first transfer's first link started
  Tick end;               // its output is complete
  double link_bytes = 0;  // wire bytes it sent (onto its first link)
  Tick core_busy;         // compute-core mode: its reductions
};

struct ScheduleTiming {
  std::vector<RankTiming> ranks;
};

struct TimingRequest {
  const Schedule& schedule;
  std::vector<int> chips;   // rank → chip
  std::vector<Tick> ready;  // rank → arrival + launch
  ProtocolParams protocol;
  bool reduce_on_cores = false;
  // Per chip, bytes/s its cores reduce (compute-core mode only).
  const std::vector<double>* reduce_bytes_per_s = nullptr;
};

// `core_free`: per chip, when its cores finish the reductions booked so
// far (compute-core mode); updated.
ScheduleTiming RunSchedule(LinkNetwork& network, std::vector<Tick>& core_free,
                           const TimingRequest& request);

// The zero-load prediction above; `chips` maps rank → chip.
Tick PredictSchedule(const Topology& topology, const Schedule& schedule,
                     const std::vector<int>& chips, const ProtocolParams& protocol);

// Index into config.protocols of the protocol with the least prediction.
int ChooseProtocol(const Topology& topology, const Schedule& schedule,
                   const std::vector<int>& chips);

}  // namespace dsasim::arch
