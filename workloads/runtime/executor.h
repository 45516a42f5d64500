// File: workloads/runtime/executor.h
//
// Runs operator graphs on a Machine (arch_models/system/machine.h): places
// each chip's tensors, lowers each operator (once per distinct signature,
// lowering_cache.h), issues it on its device's stream, and collects one
// OpRecord per operator, each chip's utilization timeline and the run's
// summary metrics.
//
// Streams. Each device has a compute stream (in-order, one operator at a
// time, as a kernel stream on a GPU or a DSA's command queue) and a
// communication stream for collectives and send/recv when the system runs
// them on dedicated engines. An operator starts when its stream has finished
// the previous one and every operator it depends on — on any stream, on any
// chip — has finished: dependencies are events, not barriers, so
// independent work on different streams and chips overlaps. A stream issues
// its operators in the graph's topological order (ready ops by ascending
// index). docs/execution_model.md has the details.
//
// Example:
//   arch::Machine machine(arch::ParseMachineConfig(system, "h100"), {});
//   Executor executor(machine, ExecutionOptions{});
//   Execution result = executor.Run(graph);
//   result.record.metrics;   // latency_s, tokens_per_s, hbm_bytes, ...
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "arch_models/chip/chip.h"
#include "arch_models/system/machine.h"
#include "dsasim/v1/graph.pb.h"
#include "sim/run_record.h"
#include "workloads/analysis/run_metrics.h"
#include "workloads/lowering/lowering_context.h"
#include "workloads/runtime/lowering_cache.h"

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
  // Simulated seconds per operator kind, summed over its ops (on several
  // chips, chip-seconds: concurrent ops on different chips add up).
  std::map<std::string, double> seconds_by_kind;
  // Mesh/torus: names of the busiest link and endpoint channel over the run
  // (metrics noc_max_link_utilization, noc_max_port_utilization); empty on a
  // crossbar.
  std::string noc_busiest_link;
  std::string noc_busiest_port;
  int chips = 1;
  // Systems of chips: the busiest chip-to-chip link (metric
  // link_max_utilization; empty when no link carried anything), the
  // communication the chips waited on (exposed_communication_s), and, with
  // pipeline stages, the fraction of chip-time idle (pipeline_bubble_fraction).
  std::string busiest_link;
  // Every link that carried bytes, busiest first: name and busy fraction of
  // the run.
  std::vector<std::pair<std::string, double>> link_utilization;
  double exposed_communication_s = 0;
  double bubble_fraction = -1;  // -1: not a pipelined graph
};

class Executor {
 public:
  // The machine must outlive the executor.
  Executor(arch::Machine& machine, const ExecutionOptions& options);

  // Runs `graph` from the machine's current time to completion. Op and
  // timeline times are the machine's (from its start), so a second graph's
  // records continue where the first's ended.
  // A run that throws (a limit, a mapping error) leaves the machine broken
  // (Machine::broken): a later Run refuses it.
  Execution Run(const v1::OperatorGraph& graph);

 private:
  Execution RunOnMachine(const v1::OperatorGraph& graph);

  arch::Machine& machine_;
  ExecutionOptions options_;
  LoweringCache lowering_;
};

// One graph on a fresh one-chip machine.
Execution ExecuteGraph(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
                       const ExecutionOptions& options);
// One graph on a fresh machine of `config`.
Execution ExecuteGraph(const v1::OperatorGraph& graph, const arch::MachineConfig& config,
                       const ExecutionOptions& options);

// Tokens the step produces: one per sequence in decode, every new token in
// prefill (the throughput prefill is quoted in).
double TokensOf(const v1::OperatorGraph& graph);

}  // namespace dsasim::workloads
