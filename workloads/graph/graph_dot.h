// File: workloads/graph/graph_dot.h
//
// Graphviz export of an operator graph: one node per op (labelled with its
// name and kind), one edge per (producer, consumer, tensor) labelled with the
// tensor's name and shape, dashed edges for control dependencies. Graph
// inputs that are not weights (tokens, the KV cache) appear as ellipses so
// that where data enters is visible; weights are left out to keep large
// graphs readable.
//
// Example:
//   std::string dot = GraphToDot(graph);   // then: dot -Tsvg out.dot
//
// Contract: the output depends only on the graph's contents, in file order
// (no hash-map iteration), so equal graphs give byte-identical text.
// REQUIRES: ValidateGraph(graph) passed.
#pragma once

#include <string>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

std::string GraphToDot(const v1::OperatorGraph& graph);

}  // namespace dsasim::workloads
