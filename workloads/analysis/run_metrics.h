// File: workloads/analysis/run_metrics.h
//
// The summary metrics of a run (docs/results_schema.md, "metrics"): latency,
// throughput, FLOPs, HBM traffic, utilization per engine class, NoC hot
// spots and cache behaviour, from the operator records and what each chip
// recorded. On a system of several chips, totals add up over chips and
// utilizations are means over chips; the chip-to-chip links' metrics are
// the executor's (they need the streams' intervals).
//
// Example:
//   RunSummary summary = SummarizeRun({&chip}, {&timeline}, tokens, makespan, record);
//   summary.bound_by_kind["matmul"];   // "compute"
#pragma once

#include <map>
#include <string>
#include <vector>

#include "arch_models/chip/chip.h"
#include "sim/run_record.h"
#include "sim/utilization_timeline.h"

namespace dsasim::workloads {

struct RunSummary {
  // Time-weighted bottleneck class per operator kind.
  std::map<std::string, std::string> bound_by_kind;
  // Simulated seconds per operator kind (summed over chips).
  std::map<std::string, double> seconds_by_kind;
  // Mesh/torus: names of the busiest link and endpoint channel over the run
  // (metrics noc_max_link_utilization, noc_max_port_utilization); empty on a
  // crossbar. On several chips, the busiest over all of them.
  std::string noc_busiest_link;
  std::string noc_busiest_port;
};

// Appends the metrics to `record.metrics` (its ops must be filled) and
// returns the per-kind breakdown. `chips` and `timelines` run parallel, one
// per chip; each timeline must be closed at `makespan`. `tokens`: what the
// step produced (TokensOf).
RunSummary SummarizeRun(const std::vector<const arch::Chip*>& chips,
                        const std::vector<const UtilizationTimeline*>& timelines,
                        double tokens, Tick makespan, RunRecord& record);

void AddMetric(RunRecord& record, std::string name, double value, std::string unit);

}  // namespace dsasim::workloads
