#include "workloads/graph/graph_index.h"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <functional>
#include <queue>
#include <string>

#include "sim/error.h"

namespace dsasim::workloads {
namespace {

void SortUnique(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

GraphIndex::GraphIndex(const v1::OperatorGraph& graph)
    : graph_(graph),
      dag_(graph.ops_size()),
      preds_(graph.ops_size()),
      succs_(graph.ops_size()) {
  for (int t = 0; t < graph.tensors_size(); ++t) {
    tensor_by_name_.emplace(graph.tensors(t).name(), t);
  }
  for (int o = 0; o < graph.ops_size(); ++o) {
    const v1::Operator& op = graph.ops(o);
    op_by_name_.emplace(op.name(), o);
    for (const std::string& out : op.outputs()) producer_.emplace(out, o);
    for (const std::string& in : op.inputs()) consumers_[in].push_back(o);
  }
  for (auto& [name, ops] : consumers_) SortUnique(ops);

  for (int o = 0; o < graph.ops_size(); ++o) {
    const v1::Operator& op = graph.ops(o);
    for (const std::string& in : op.inputs()) {
      auto it = producer_.find(in);
      if (it != producer_.end()) preds_[o].push_back(it->second);
    }
    for (const std::string& dep : op.control_deps()) {
      auto it = op_by_name_.find(dep);
      if (it != op_by_name_.end()) preds_[o].push_back(it->second);
    }
    SortUnique(preds_[o]);
    for (int p : preds_[o]) {
      succs_[p].push_back(o);
      boost::add_edge(p, o, dag_);
    }
  }
  // Successors were appended in ascending `o`, so they are already sorted.
}

const v1::Tensor* GraphIndex::FindTensor(std::string_view name) const {
  auto it = tensor_by_name_.find(name);
  return it == tensor_by_name_.end() ? nullptr : &graph_.tensors(it->second);
}

int GraphIndex::FindOp(std::string_view name) const {
  auto it = op_by_name_.find(name);
  return it == op_by_name_.end() ? -1 : it->second;
}

int GraphIndex::Producer(std::string_view tensor) const {
  auto it = producer_.find(tensor);
  return it == producer_.end() ? -1 : it->second;
}

const std::vector<int>& GraphIndex::Consumers(std::string_view tensor) const {
  static const std::vector<int> kNone;
  auto it = consumers_.find(tensor);
  return it == consumers_.end() ? kNone : it->second;
}

std::vector<int> GraphIndex::TopologicalOrder() const {
  // boost::topological_sort orders by DFS finish time, which is deterministic
  // but not "lowest index first"; Kahn's algorithm with a min-heap keeps an
  // already-sorted file in file order, which makes traces easy to diff.
  std::vector<int> pending(num_ops());
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int o = 0; o < num_ops(); ++o) {
    pending[o] = static_cast<int>(preds_[o].size());
    if (pending[o] == 0) ready.push(o);
  }
  std::vector<int> order;
  order.reserve(num_ops());
  while (!ready.empty()) {
    int o = ready.top();
    ready.pop();
    order.push_back(o);
    for (int s : succs_[o]) {
      if (--pending[s] == 0) ready.push(s);
    }
  }
  if (static_cast<int>(order.size()) != num_ops()) {
    std::vector<int> cycle = *FindCycle();
    std::string names;
    for (int o : cycle) names += graph_.ops(o).name() + " -> ";
    names += graph_.ops(cycle.front()).name();
    throw ConfigError("operator graph '" + graph_.name() + "' has a cycle: " + names);
  }
  return order;
}

std::optional<std::vector<int>> GraphIndex::FindCycle() const {
  // Strongly connected components find every op that lies on some cycle; a
  // walk inside the component of the lowest such op then names one cycle.
  std::vector<int> component(num_ops());
  int count = boost::strong_components(
      dag_, boost::make_iterator_property_map(component.begin(),
                                              boost::get(boost::vertex_index, dag_)));
  std::vector<int> size(count, 0);
  for (int c : component) ++size[c];
  for (int o = 0; o < num_ops(); ++o) {
    bool self_loop = std::binary_search(preds_[o].begin(), preds_[o].end(), o);
    if (size[component[o]] < 2 && !self_loop) continue;
    // Walk backwards along the lowest predecessor in the same component until
    // an op repeats; the ops from its first visit on form a cycle.
    std::vector<int> walk;
    std::vector<int> seen_at(num_ops(), -1);
    int cur = o;
    while (seen_at[cur] < 0) {
      seen_at[cur] = static_cast<int>(walk.size());
      walk.push_back(cur);
      for (int p : preds_[cur]) {
        if (component[p] == component[o]) {
          cur = p;
          break;
        }
      }
    }
    std::vector<int> cycle(walk.begin() + seen_at[cur], walk.end());
    // The walk went against the edges; report it in dependency order,
    // starting from its lowest op so the message does not depend on where
    // the walk began.
    std::reverse(cycle.begin(), cycle.end());
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    return cycle;
  }
  return std::nullopt;
}

GraphIndex::Path GraphIndex::CriticalPath(const std::vector<double>& cost) const {
  std::vector<double> best(num_ops(), 0);
  std::vector<int> via(num_ops(), -1);
  for (int o : TopologicalOrder()) {
    double start = 0;
    // Ties go to the lowest predecessor index (preds_ is sorted).
    for (int p : preds_[o]) {
      if (via[o] < 0 || best[p] > start) {
        start = best[p];
        via[o] = p;
      }
    }
    best[o] = start + cost[o];
  }
  Path path;
  int end = -1;
  for (int o = 0; o < num_ops(); ++o) {
    if (end < 0 || best[o] > best[end]) end = o;
  }
  if (end < 0) return path;
  path.cost = best[end];
  for (int o = end; o >= 0; o = via[o]) path.ops.push_back(o);
  std::reverse(path.ops.begin(), path.ops.end());
  return path;
}

}  // namespace dsasim::workloads
