#include "workloads/analysis/replicas.h"

#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

namespace dsasim::workloads {
namespace {

// Union-find over device indices, grown on demand.
class DeviceSets {
 public:
  int Find(int d) {
    Grow(d);
    while (parent_[d] != d) d = parent_[d] = parent_[parent_[d]];
    return d;
  }
  void Join(int a, int b) { parent_[Find(a)] = Find(b); }
  void Use(int d) {
    Grow(d);
    used_[d] = true;
  }
  int Components() {
    int n = 0;
    for (int d = 0; d < static_cast<int>(parent_.size()); ++d) {
      if (used_[d] && Find(d) == d) ++n;
    }
    return n;
  }

 private:
  void Grow(int d) {
    const int old = static_cast<int>(parent_.size());
    if (d < old) return;
    parent_.resize(d + 1);
    used_.resize(d + 1, false);
    std::iota(parent_.begin() + old, parent_.end(), old);
  }
  std::vector<int> parent_;
  std::vector<bool> used_;
};

}  // namespace

int CountReplicas(const v1::OperatorGraph& graph) {
  DeviceSets sets;
  std::unordered_map<std::string, int> producer_device;
  for (const v1::Operator& op : graph.ops()) {
    const int dst = op.has_send_recv() ? op.send_recv().dst_device() : op.device();
    for (const std::string& out : op.outputs()) producer_device[out] = dst;
  }
  // A view is read through the tensors it is a view of.
  std::unordered_map<std::string, const v1::Tensor*> views;
  for (const v1::Tensor& t : graph.tensors()) {
    if (t.view_of_size() > 0) views.emplace(t.name(), &t);
  }
  for (const v1::Operator& op : graph.ops()) {
    sets.Use(op.device());
    auto join_producer = [&](const std::string& tensor) {
      auto it = producer_device.find(tensor);
      if (it != producer_device.end()) sets.Join(op.device(), it->second);
    };
    for (const std::string& in : op.inputs()) {
      join_producer(in);
      auto view = views.find(in);
      if (view == views.end()) continue;
      for (const std::string& part : view->second->view_of()) join_producer(part);
    }
    if (op.has_collective()) {
      for (int d : op.collective().group()) sets.Join(op.device(), d);
    }
    if (op.has_send_recv()) {
      sets.Join(op.send_recv().src_device(), op.send_recv().dst_device());
    }
  }
  const int n = sets.Components();
  return n > 0 ? n : 1;
}

}  // namespace dsasim::workloads
