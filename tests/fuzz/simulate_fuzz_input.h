// File: tests/fuzz/simulate_fuzz_input.h
//
// The body of the simulation fuzzer, shared by the libFuzzer entry point
// (simulate_fuzz.cc, DSASIM_FUZZ builds) and the corpus replay test
// (fuzz_corpus_test.cc, every build). Bytes become a small case — a system
// (a preset with a few fuzzed `--set` overrides) and a small operator graph
// (random operators, or a shrunken model built by the graph builders from a
// fuzzed config.json) — which then goes the way `dsasim run` takes it: chip
// config, graph validation, lowering, simulation. What comes out is checked
// against invariants that hold for every run.
//
// Example:
//   SimulateFuzzCase c = DecodeSimulateFuzzCase(bytes);
//   std::cerr << DescribeSimulateFuzzCase(c);      // what the bytes mean
//   SimulateFuzzOutcome o = RunSimulateFuzzCase(c);  // returns or crashes
//
// Contract:
//   - Deliberate user errors end a case quietly: ConfigError (system, model
//     config, build options, graph validation) and MappingError (a graph the
//     chip cannot run); the outcome says where it stopped.
//   - A broken invariant throws FuzzInvariantError; any other exception,
//     crash, sanitizer report or hang is a finding.
//   - The work is bounded: at most kMaxOps random operators of small shapes,
//     one to three layers of a model with hidden size <= 256, and a cap on
//     the graph's total bytes, so one case simulates in milliseconds.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/runtime/executor.h"

namespace dsasim::testing {

// An invariant of a finished simulation does not hold.
class FuzzInvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

struct SimulateFuzzCase {
  std::string preset;
  std::vector<std::string> overrides;
  // A model config.json and build options, or (model_json empty) a graph.
  std::string model_json;
  workloads::BuildOptions build;
  v1::OperatorGraph graph;
  workloads::ExecutionOptions execution;
  // Run the graph a second time with memoization flipped: the rows must
  // not change (determinism, and memoization changes no result).
  bool rerun = false;
};

enum class FuzzStage {
  kExcluded,         // a known, reported problem's input class; not run
  kSystemRejected,   // ConfigError from the preset, an override or the chip
  kGraphRejected,    // ConfigError from the model, the builder or validation
  kTooLarge,         // over the harness's byte budget; not run
  kMappingRejected,  // MappingError (or ConfigError) from the executor
  kSimulated,        // ran, and every invariant held
};

struct SimulateFuzzOutcome {
  FuzzStage stage = FuzzStage::kExcluded;
  int ops = 0;
  uint64_t events = 0;
  // The error that ended a rejected case.
  std::string error;
};

inline constexpr int kMaxOps = 6;

SimulateFuzzCase DecodeSimulateFuzzCase(std::string_view bytes);
SimulateFuzzOutcome RunSimulateFuzzCase(const SimulateFuzzCase& c);
// The case as text: preset, overrides, model config and options, graph.
std::string DescribeSimulateFuzzCase(const SimulateFuzzCase& c);

inline SimulateFuzzOutcome FuzzSimulateBytes(std::string_view bytes) {
  return RunSimulateFuzzCase(DecodeSimulateFuzzCase(bytes));
}

}  // namespace dsasim::testing
