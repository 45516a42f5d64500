// File: workloads/graph/graph_validator.h
//
// Checks that an operator graph honours the contract in graph.proto before
// anything consumes it. Every error is a ConfigError that starts with
// `origin` (a file path, or "<built llama3-8b decode>") and names the op or
// tensor at fault, so a bad trace is fixed from the message alone.
//
// Example:
//   v1::OperatorGraph graph;
//   LoadMessage(path, graph);
//   ValidateGraph(graph, path.string());   // throws ConfigError
//
// What is checked, in this order (the first failure is reported):
//   1. schema_version == 1 and num_devices >= 1;
//   2. tensors: non-empty unique names, dims >= 0 with an element count that
//      fits int64, a dtype and a placement, quantization scales that exist;
//   3. ops: non-empty unique names, a kind ("unknown op" otherwise: what a
//      kind from a newer schema decodes to), inputs/outputs/control_deps that
//      name something, at least one output, no tensor produced twice, device
//      and collective/send-recv devices in [0, num_devices), layer >= -1;
//   4. no dependency cycle (the message lists the ops on one);
//   5. per-kind shapes and fields (see op_shape_checks.h).
// A graph that passes can be indexed, sorted, sized and lowered without
// further checks: sizes, dtypes and names are all well-defined.
#pragma once

#include <string_view>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

void ValidateGraph(const v1::OperatorGraph& graph, std::string_view origin);

}  // namespace dsasim::workloads
