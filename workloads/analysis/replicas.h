// File: workloads/analysis/replicas.h
//
// How many independent replicas a multi-chip graph runs: the connected
// components of its devices, two devices being joined when an operator on
// one reads a tensor produced on the other, when they are in one
// collective's group, or when a send/recv moves data between them. Devices
// that run no operator are not counted. The graph builder's data
// parallelism (--dp) emits exactly dp such components; a trace that runs
// unrelated work on separate chips counts as that many replicas too, which
// is what they are as far as throughput goes.
//
// We count from the graph rather than carry dp in it: the graph format has
// no field for it, and a derived figure cannot disagree with the ops.
//
// Example:
//   int replicas = CountReplicas(graph);   // 2 for --tp 4 --dp 2
//   tokens_per_s / replicas;               // one replica's throughput
#pragma once

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

// At least 1 (a graph with no operators is one replica).
int CountReplicas(const v1::OperatorGraph& graph);

}  // namespace dsasim::workloads
