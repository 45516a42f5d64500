// File: tools/cli/workload_options.h
//
// The command-line flags that describe one workload step (model, phase,
// batch shape, precision, parallelism, routing), shared by `dsasim graph
// build`, `dsasim graph stats` and `dsasim run` so that the same flags mean
// the same thing everywhere.
//
// Example:
//   po::options_description opts = CommonOptions("run");
//   AddWorkloadOptions(opts);
//   if (auto exit = ParseOrExit("run", args, opts, vm)) return *exit;
//   workloads::BuildOptions build = ParseWorkloadOptions(vm);   // po::error
//   ModelSpec spec = LoadModelSpec(vm["model"].as<std::string>());
//
// Contract: ParseWorkloadOptions throws po::error (a usage error, exit 2)
// naming the flag and the bad value; it checks only what a flag can say on
// its own (names, signs). Whether the model accepts the combination (TP
// dividing the heads, a phase with its lengths) is BuildGraph's ConfigError.
// --model is declared but not required: callers that need it check
// vm.count("model").
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "workloads/builders/graph_builder.h"

namespace dsasim::cli {

namespace po = boost::program_options;

void AddWorkloadOptions(po::options_description& opts);
// The workload flags the command line gave explicitly ("--batch", ...), in
// declaration order; flags left at their defaults are not listed. `dsasim
// run --trace` refuses them: a trace is a workload already.
std::vector<std::string> GivenWorkloadFlags(const po::variables_map& vm);
workloads::BuildOptions ParseWorkloadOptions(const po::variables_map& vm);

// "bf16", "fp16", "fp32", "fp8" (= fp8_e4m3), "fp8_e5m2", "int8", "int4",
// "fp4" (= fp4_e2m1); po::error naming `flag` otherwise.
v1::DType ParseDTypeName(std::string_view name, std::string_view flag);
// "prefill", "decode", "mixed", "verify"; po::error otherwise.
v1::Phase ParsePhaseName(std::string_view name);

}  // namespace dsasim::cli
