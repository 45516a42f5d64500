#include "workloads/builders/graph_writer.h"

#include <algorithm>
#include <stdexcept>

namespace dsasim::workloads {

GraphWriter::GraphWriter(v1::OperatorGraph& graph, v1::Phase phase)
    : graph_(graph), phase_(phase) {}

std::string GraphWriter::Tensor(const std::string& name,
                                const std::vector<int64_t>& shape, v1::DType dtype,
                                v1::Placement placement) {
  if (!tensor_index_.emplace(name, graph_.tensors_size()).second) {
    throw std::logic_error("graph builder: duplicate tensor name '" + name + "'");
  }
  v1::Tensor* t = graph_.add_tensors();
  t->set_name(name);
  t->mutable_shape()->Add(shape.begin(), shape.end());
  t->set_dtype(dtype);
  t->set_placement(placement);
  return name;
}

std::string GraphWriter::SharedTensor(const std::string& name,
                                      const std::vector<int64_t>& shape, v1::DType dtype,
                                      v1::Placement placement) {
  auto it = tensor_index_.find(name);
  if (it == tensor_index_.end()) return Tensor(name, shape, dtype, placement);
  const v1::Tensor& t = graph_.tensors(it->second);
  if (!std::equal(shape.begin(), shape.end(), t.shape().begin(), t.shape().end()) ||
      t.dtype() != dtype || t.placement() != placement) {
    throw std::logic_error("graph builder: shared tensor '" + name +
                           "' asked for with another shape, dtype or placement");
  }
  return name;
}

std::string GraphWriter::View(const std::string& name, const std::vector<int64_t>& shape,
                              v1::DType dtype, const std::vector<std::string>& parts) {
  Tensor(name, shape, dtype, v1::PLACEMENT_ACTIVATION);
  v1::Tensor& t = MutableTensor(name);
  for (const std::string& part : parts) {
    // A view of a view is a view of the underlying parts: keeps control
    // dependencies one hop deep.
    const v1::Tensor& p = TensorByName(part);
    if (p.view_of_size() > 0) {
      for (const std::string& base : p.view_of()) t.add_view_of(base);
    } else {
      t.add_view_of(part);
    }
  }
  return name;
}

v1::Tensor& GraphWriter::MutableTensor(const std::string& name) {
  auto it = tensor_index_.find(name);
  if (it == tensor_index_.end()) {
    throw std::logic_error("graph builder: no tensor '" + name + "'");
  }
  return *graph_.mutable_tensors(it->second);
}

const v1::Tensor& GraphWriter::TensorByName(const std::string& name) const {
  auto it = tensor_index_.find(name);
  if (it == tensor_index_.end()) {
    throw std::logic_error("graph builder: no tensor '" + name + "'");
  }
  return graph_.tensors(it->second);
}

v1::Operator& GraphWriter::Op(const std::string& name,
                              const std::vector<std::string>& inputs,
                              const std::vector<std::string>& outputs, int layer,
                              int device) {
  if (!op_names_.insert(name).second) {
    throw std::logic_error("graph builder: duplicate op name '" + name + "'");
  }
  v1::Operator* op = graph_.add_ops();
  op->set_name(name);
  op->set_layer(layer);
  op->set_phase(phase_);
  op->set_device(device);
  for (const std::string& in : inputs) {
    op->add_inputs(in);
    const v1::Tensor& t = TensorByName(in);
    for (const std::string& base : t.view_of()) {
      auto it = producer_.find(base);
      if (it == producer_.end()) continue;  // a graph input or a weight
      const auto& deps = op->control_deps();
      if (std::find(deps.begin(), deps.end(), it->second) == deps.end()) {
        op->add_control_deps(it->second);
      }
    }
  }
  for (const std::string& out : outputs) {
    TensorByName(out);  // must exist
    producer_.emplace(out, name);
    op->add_outputs(out);
  }
  return *op;
}

}  // namespace dsasim::workloads
