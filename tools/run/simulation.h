// File: tools/run/simulation.h
//
// One simulation from the user's point of view: a system (preset or file,
// plus --set overrides), a workload (a model built into a graph, or a trace
// file replayed), and lowering switches in; a complete RunRecord (ready for
// the result store) and the execution summary out. `dsasim run`, `dsasim
// bench` and the sweep runner all go through here, so they agree.
//
// Example:
//   SimulationRequest req;
//   req.system = "h100";
//   req.model = "llama3-8b";
//   req.build.phase = v1::PHASE_DECODE;
//   req.build.batch = 8;
//   req.build.context_len = 4096;
//   Simulation sim = Simulate(req);
//   sim.record.metrics ...
#pragma once

#include <string>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "dsasim/v1/system.pb.h"
#include "sim/run_record.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/builders/work_estimate.h"
#include "workloads/runtime/executor.h"

namespace dsasim {

struct SimulationRequest {
  std::string system = "h100";
  std::vector<std::string> overrides;
  // Either a model (shipped id or config.json) with build options...
  std::string model = "llama3-8b";
  workloads::BuildOptions build;
  // ...or a trace file to replay (then model/build are ignored).
  std::string trace;
  workloads::ExecutionOptions execution;
  // Checked before building or loading the graph, and (events) while
  // simulating; execution.max_events is set from here.
  workloads::WorkLimits limits;
};

struct Simulation {
  v1::System system;
  v1::OperatorGraph graph;
  workloads::Execution execution;
  // Run-level fields filled in (name, texts, parameters, hash, version,
  // seed, wall time, events); metrics, ops and timeline from the execution.
  RunRecord record;
  double build_seconds = 0;
  double simulate_seconds = 0;
};

Simulation Simulate(const SimulationRequest& request);

// The request's parameters as a JSON object (stored with the run, hashed
// into its config hash).
std::string ParametersJson(const SimulationRequest& request);

}  // namespace dsasim
