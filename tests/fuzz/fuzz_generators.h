// File: tests/fuzz/fuzz_generators.h
//
// The pieces of a simulation fuzz case, each drawn from a FuzzReader:
// `--set` overrides of a preset, a random operator graph, and a model
// config.json with graph-build options. Sizes are small on purpose (a case
// must simulate in milliseconds) but reach the boundaries: 1, odd sizes,
// sizes just past a power of two, and now and then 0 or an out-of-range
// value that the configuration or the validator has to reject.
//
// Example:
//   FuzzReader in(bytes);
//   std::vector<std::string> sets = FuzzOverrides(in, "mesh-dsa");
//   v1::OperatorGraph g = FuzzGraph(in, /*max_ops=*/6);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "tests/fuzz/fuzz_reader.h"
#include "workloads/builders/graph_builder.h"

namespace dsasim::testing {

// Presets the cases start from, one per interconnect and engine family.
inline constexpr const char* kFuzzPresets[] = {"generic-dsa", "tpu-v5e", "mesh-dsa",
                                               "h100"};

// `path=value` assignments for arch::ApplyOverride; some come in pairs (the
// HBM's stack count clears its rated bandwidth, a mesh's shape sets its
// core count).
std::vector<std::string> FuzzOverrides(FuzzReader& in, std::string_view preset);

// A valid-by-construction graph of 1..max_ops operators on one device,
// usually chained through their activations; now and then one raw edit
// (a zero or odd dimension, a lost input, a wrong dtype) makes it a graph
// the validator must reject or the lowering must survive.
v1::OperatorGraph FuzzGraph(FuzzReader& in, int max_ops);

// A Hugging Face config.json of one of the supported model types, shrunk to
// hidden <= 256 and 1..3 layers.
std::string FuzzModelConfig(FuzzReader& in);
// One step's build options (phase, batch, lengths, dtypes, paging, routing)
// on one device.
workloads::BuildOptions FuzzBuildOptions(FuzzReader& in);

}  // namespace dsasim::testing
