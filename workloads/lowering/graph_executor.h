// File: workloads/lowering/graph_executor.h
//
// Runs an operator graph on one chip: validates placement, lowers each
// operator in topological order, runs it on the event-driven chip (one op at
// a time, as a kernel stream), and collects one OpRecord per operator, the
// utilization timeline, and the run's summary metrics.
//
// Example:
//   ExecutionOptions options;
//   options.lowering.double_buffering = false;
//   Execution result = ExecuteGraph(graph, chip_config, options);
//   result.record.metrics;   // latency_s, tokens_per_s, hbm_bytes, ...
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "arch_models/chip/chip.h"
#include "dsasim/v1/graph.pb.h"
#include "sim/run_record.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

struct ExecutionOptions {
  LoweringOptions lowering;
  // Replay ops whose program was already simulated (identical layers).
  bool memoize = true;
  uint64_t seed = 1;
  // Refused before simulating when the graph needs more (run_bounds.h), and
  // stopped with LimitError when the simulation reaches them.
  uint64_t max_events = 2'000'000'000;
  double max_memory_bytes = 8.0 * (1ull << 30);
};

struct Execution {
  // Metrics, ops and timeline (the run-level fields are the caller's).
  RunRecord record;
  Tick makespan;
  uint64_t events = 0;
  int64_t memo_hits = 0;
  arch::TransferTotals transfers;
  // Time-weighted bottleneck class per operator kind.
  std::map<std::string, std::string> bound_by_kind;
  // Simulated seconds per operator kind.
  std::map<std::string, double> seconds_by_kind;
  // Mesh/torus: names of the busiest link and endpoint channel over the run
  // (metrics noc_max_link_utilization, noc_max_port_utilization); empty on a
  // crossbar.
  std::string noc_busiest_link;
  std::string noc_busiest_port;
};

Execution ExecuteGraph(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
                       const ExecutionOptions& options);

// The bottleneck class of one op from what it used: the resource with the
// highest utilization over the op's duration — "compute", "hbm", "sram",
// "interconnect" (crossbar ports, DMA engines, or a mesh's busiest channel)
// — or "overhead" when none reaches half (launch, setup and latency
// dominate).
std::string BoundClass(const arch::OpStats& stats, const arch::ChipConfig& chip);

}  // namespace dsasim::workloads
