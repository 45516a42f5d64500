#include "workloads/graph/graph_validator.h"

#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sim/field_ranges.h"
#include "workloads/graph/graph_errors.h"
#include "workloads/graph/graph_index.h"
#include "workloads/graph/op_shape_checks.h"

namespace dsasim::workloads {
namespace {

// Element counts stay below 2^56 so that bytes (x4) and the products the
// statistics form stay far from int64 overflow; no real tensor comes close.
constexpr int64_t kMaxElements = int64_t{1} << 56;

void CheckTensors(const v1::OperatorGraph& graph, std::string_view origin) {
  std::unordered_set<std::string_view> seen;
  for (int t = 0; t < graph.tensors_size(); ++t) {
    const v1::Tensor& tensor = graph.tensors(t);
    if (tensor.name().empty()) {
      FailGraph(origin, "tensor #" + std::to_string(t) + " has no name");
    }
    if (!seen.insert(tensor.name()).second) {
      FailTensor(origin, tensor.name(), "duplicate tensor name");
    }
    int64_t elements = 1;
    for (int64_t dim : tensor.shape()) {
      if (dim < 0) {
        FailTensor(origin, tensor.name(),
                   "negative dimension in shape " + ShapeString(tensor));
      }
      if (dim != 0 && elements > kMaxElements / dim) {
        FailTensor(origin, tensor.name(),
                   "shape " + ShapeString(tensor) + " has too many elements");
      }
      elements *= dim;
    }
    if (!v1::DType_IsValid(tensor.dtype()) || tensor.dtype() == v1::DTYPE_UNSPECIFIED) {
      FailTensor(origin, tensor.name(),
                 "dtype is unspecified or unknown (" + std::to_string(tensor.dtype()) +
                     "); every tensor needs one to have a size");
    }
    if (!v1::Placement_IsValid(tensor.placement()) ||
        tensor.placement() == v1::PLACEMENT_UNSPECIFIED) {
      FailTensor(origin, tensor.name(),
                 "placement is unspecified or unknown (weight, activation, "
                 "kv_cache or weight_scale)");
    }
    if (!v1::Layout_IsValid(tensor.layout())) {
      FailTensor(origin, tensor.name(),
                 "unknown layout " + std::to_string(tensor.layout()));
    }
  }
  // Scales are checked once all names are known.
  std::unordered_map<std::string_view, const v1::Tensor*> by_name;
  for (const v1::Tensor& tensor : graph.tensors())
    by_name.emplace(tensor.name(), &tensor);
  for (const v1::Tensor& tensor : graph.tensors()) {
    if (!tensor.has_quantization()) continue;
    const v1::Quantization& q = tensor.quantization();
    if (q.group_size() < 0) {
      FailTensor(origin, tensor.name(), "negative quantization group_size");
    }
    if (q.scale_tensor().empty()) continue;
    auto it = by_name.find(q.scale_tensor());
    if (it == by_name.end()) {
      FailTensor(origin, tensor.name(),
                 "quantization scale_tensor '" + q.scale_tensor() + "' does not exist");
    }
    if (it->second->placement() != v1::PLACEMENT_WEIGHT_SCALE) {
      FailTensor(origin, tensor.name(),
                 "quantization scale_tensor '" + q.scale_tensor() +
                     "' is not placed as weight_scale");
    }
  }
}

void CheckDevice(std::string_view origin, const v1::Operator& op, int device,
                 int num_devices, std::string_view what) {
  if (device < 0 || device >= num_devices) {
    FailOp(origin, op,
           std::string(what) + " " + std::to_string(device) +
               " is outside [0, num_devices = " + std::to_string(num_devices) + ")");
  }
}

void CheckOps(const v1::OperatorGraph& graph, const GraphIndex& index,
              std::string_view origin) {
  std::unordered_set<std::string_view> seen;
  std::unordered_map<std::string_view, std::string_view> produced_by;
  for (int o = 0; o < graph.ops_size(); ++o) {
    const v1::Operator& op = graph.ops(o);
    if (op.name().empty()) {
      FailGraph(origin, "op #" + std::to_string(o) + " has no name");
    }
    if (!seen.insert(op.name()).second) FailOp(origin, op, "duplicate op name");
    if (op.kind_case() == v1::Operator::KIND_NOT_SET) {
      FailOp(origin, op,
             "unknown op: no kind is set (a kind from a newer schema, or the "
             "kind field is missing)");
    }
    for (const std::string& in : op.inputs()) {
      if (index.FindTensor(in) == nullptr) {
        FailOp(origin, op, "input tensor '" + in + "' does not exist");
      }
    }
    if (op.outputs_size() == 0) FailOp(origin, op, "has no output tensor");
    for (const std::string& out : op.outputs()) {
      if (index.FindTensor(out) == nullptr) {
        FailOp(origin, op, "output tensor '" + out + "' does not exist");
      }
      auto [it, fresh] = produced_by.emplace(out, op.name());
      if (!fresh) {
        FailTensor(origin, out,
                   "produced twice, by op '" + std::string(it->second) + "' and op '" +
                       op.name() + "'");
      }
    }
    for (const std::string& dep : op.control_deps()) {
      if (index.FindOp(dep) < 0) {
        FailOp(origin, op, "control dependency '" + dep + "' names no op");
      }
    }
    if (op.layer() < -1) {
      FailOp(origin, op, "layer " + std::to_string(op.layer()) + " is below -1");
    }
    CheckDevice(origin, op, op.device(), graph.num_devices(), "device");
    if (op.has_collective()) {
      std::set<int> members;
      for (int member : op.collective().group()) {
        CheckDevice(origin, op, member, graph.num_devices(), "collective group member");
        if (!members.insert(member).second) {
          FailOp(origin, op,
                 "collective group lists device " + std::to_string(member) + " twice");
        }
      }
    }
    if (op.has_send_recv()) {
      CheckDevice(origin, op, op.send_recv().src_device(), graph.num_devices(),
                  "src_device");
      CheckDevice(origin, op, op.send_recv().dst_device(), graph.num_devices(),
                  "dst_device");
    }
  }
}

}  // namespace

void ValidateGraph(const v1::OperatorGraph& graph, std::string_view origin) {
  if (graph.schema_version() != 1) {
    FailGraph(origin, "schema_version is " + std::to_string(graph.schema_version()) +
                          "; this build reads schema_version 1");
  }
  // Declared ranges before anything sizes a buffer from a shape or a
  // kv_len: a 4e15-token context is a clear error here, not bad_alloc later.
  CheckFieldRanges(graph, origin);
  if (graph.num_devices() < 1) {
    FailGraph(origin, "num_devices is " + std::to_string(graph.num_devices()) +
                          "; a graph runs on at least one device");
  }
  CheckTensors(graph, origin);
  GraphIndex index(graph);
  CheckOps(graph, index, origin);
  if (auto cycle = index.FindCycle()) {
    std::string names;
    for (int o : *cycle) names += "'" + graph.ops(o).name() + "' -> ";
    names += "'" + graph.ops(cycle->front()).name() + "'";
    FailGraph(origin, "dependency cycle through ops " + names);
  }
  for (const v1::Operator& op : graph.ops()) CheckOpShapes(op, index, origin);
}

}  // namespace dsasim::workloads
