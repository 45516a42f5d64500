// File: workloads/analysis/communication_metrics.h
//
// How much of a multi-chip run waited on communication. Per chip, the union
// of its communication ops' intervals (collectives, send/recv: engine
// "link") and of its other ops' intervals (compute); communication not
// covered by compute on that chip is exposed — it was on the chip's
// critical path, since nothing else ran meanwhile. The run's figure is the
// largest over chips (the step waits for its slowest chip).
//
// Pipeline bubble: the fraction of chip-time a chip ran neither compute nor
// communication, over the chips that ran an operator; for p equal stages
// and m equal microbatches with free communication it is
// (p − 1) / (m + p − 1).
//
// Example:
//   CommunicationTime t = MeasureCommunication(record.ops, chips, makespan);
//   t.exposed_s;   // seconds
#pragma once

#include <vector>

#include "sim/run_record.h"
#include "sim/time.h"

namespace dsasim::workloads {

struct CommunicationTime {
  // Largest over chips of the union of its communication intervals.
  double communication_s = 0;
  // Largest over chips of its communication not overlapped by its compute.
  double exposed_s = 0;
  // Mean over the chips that ran an operator of the time with neither
  // compute nor communication, as a fraction of the makespan measured from
  // the first op's start.
  double idle_fraction = 0;
};

CommunicationTime MeasureCommunication(const std::vector<OpRecord>& ops, int chips,
                                       Tick makespan);

// What an op record of a collective or send/recv says in its engine column.
inline constexpr char kLinkEngine[] = "link";

}  // namespace dsasim::workloads
