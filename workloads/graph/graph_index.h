// File: workloads/graph/graph_index.h
//
// An indexed view over a v1::OperatorGraph, built once: tensors by name, the
// producing op of each tensor, its consumers, and each op's dependencies
// (producers of its inputs plus its control_deps) as a Boost.Graph DAG.
// Validation, statistics, DOT export and the lowering all read graphs
// through it instead of searching the repeated fields.
//
// Example:
//   GraphIndex index(graph);
//   for (int op : index.TopologicalOrder()) Lower(graph.ops(op));
//   int producer = index.Producer("layer0.q");     // -1 for a graph input
//
// Contract:
//   1. The index keeps a reference to `graph`, which must outlive it and not
//      change.
//   2. It tolerates invalid graphs so that ValidateGraph can use it: with
//      duplicate names the first tensor/op wins, a tensor produced twice
//      keeps its first producer, dangling names add no edge.
//   3. Op indices are positions in graph.ops(); orders are deterministic.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

class GraphIndex {
 public:
  explicit GraphIndex(const v1::OperatorGraph& graph);

  const v1::OperatorGraph& graph() const { return graph_; }
  int num_ops() const { return graph_.ops_size(); }

  // nullptr / -1 when there is no such name.
  const v1::Tensor* FindTensor(std::string_view name) const;
  int FindOp(std::string_view name) const;
  // The op that lists `tensor` among its outputs; -1 for graph inputs
  // (weights, tokens, the KV cache before this step) and unknown names.
  int Producer(std::string_view tensor) const;
  // Ops that read `tensor`, ascending, each once.
  const std::vector<int>& Consumers(std::string_view tensor) const;

  // Ops `op` depends on / ops depending on `op`, ascending, each once.
  const std::vector<int>& Predecessors(int op) const { return preds_[op]; }
  const std::vector<int>& Successors(int op) const { return succs_[op]; }

  // Every op once, each after all its predecessors; among ops that are ready
  // together the lowest index comes first (Kahn's algorithm with a min-heap),
  // so the order is the file order whenever the file is already sorted.
  // Throws ConfigError naming the ops of one cycle if the graph has one.
  std::vector<int> TopologicalOrder() const;

  // One dependency cycle as op indices in dependency order (the first
  // depends on the last), or nullopt for a DAG. Deterministic.
  std::optional<std::vector<int>> FindCycle() const;

  // The heaviest dependency chain under per-op costs (e.g. FLOPs or
  // seconds): its total cost and its ops in order. REQUIRES: a DAG and
  // cost.size() == num_ops().
  struct Path {
    double cost = 0;
    std::vector<int> ops;
  };
  Path CriticalPath(const std::vector<double>& cost) const;

 private:
  using Dag = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

  const v1::OperatorGraph& graph_;
  std::unordered_map<std::string_view, int> tensor_by_name_;
  std::unordered_map<std::string_view, int> op_by_name_;
  std::unordered_map<std::string_view, int> producer_;
  std::unordered_map<std::string_view, std::vector<int>> consumers_;
  Dag dag_;
  std::vector<std::vector<int>> preds_;
  std::vector<std::vector<int>> succs_;
};

}  // namespace dsasim::workloads
