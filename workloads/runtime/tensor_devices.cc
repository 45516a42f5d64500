#include "workloads/runtime/tensor_devices.h"

#include <unordered_map>

namespace dsasim::workloads {

std::vector<std::unordered_set<std::string_view>> TensorsByDevice(
    const v1::OperatorGraph& graph, int num_devices) {
  std::vector<std::unordered_set<std::string_view>> on(num_devices);
  for (const v1::Operator& op : graph.ops()) {
    for (const std::string& t : op.inputs()) on[op.device()].insert(t);
    const int out = op.has_send_recv() ? op.send_recv().dst_device() : op.device();
    for (const std::string& t : op.outputs()) on[out].insert(t);
  }
  // A view's bases hold its bytes: they live wherever the view is used.
  // Chains of views resolve in as many passes as they are long.
  std::unordered_map<std::string_view, const v1::Tensor*> views;
  for (const v1::Tensor& t : graph.tensors()) {
    if (t.view_of_size() > 0) views.emplace(t.name(), &t);
  }
  for (auto& names : on) {
    std::vector<std::string_view> pending(names.begin(), names.end());
    while (!pending.empty()) {
      std::string_view name = pending.back();
      pending.pop_back();
      auto view = views.find(name);
      if (view == views.end()) continue;
      for (const std::string& base : view->second->view_of()) {
        if (names.insert(base).second) pending.push_back(base);
      }
    }
  }
  return on;
}

}  // namespace dsasim::workloads
