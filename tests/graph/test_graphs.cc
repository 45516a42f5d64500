#include "tests/graph/test_graphs.h"

namespace dsasim::workloads::testing {

TestGraph::TestGraph() {
  graph.set_schema_version(1);
  graph.set_name("test");
  graph.set_num_devices(1);
}

v1::Tensor* TestGraph::Tensor(const std::string& name, std::vector<int64_t> shape,
                              v1::Placement placement, v1::DType dtype) {
  v1::Tensor* t = graph.add_tensors();
  t->set_name(name);
  for (int64_t d : shape) t->add_shape(d);
  t->set_dtype(dtype);
  t->set_placement(placement);
  return t;
}

v1::Operator* TestGraph::Op(const std::string& name, std::vector<std::string> inputs,
                            std::vector<std::string> outputs, int layer) {
  v1::Operator* op = graph.add_ops();
  op->set_name(name);
  for (auto& i : inputs) op->add_inputs(i);
  for (auto& o : outputs) op->add_outputs(o);
  op->set_layer(layer);
  op->set_phase(v1::PHASE_PREFILL);
  return op;
}

v1::OperatorGraph MlpBlock() {
  TestGraph t;
  t.Tensor("x", {4, 8});
  t.Tensor("g", {8}, v1::PLACEMENT_WEIGHT);
  t.Tensor("xn", {4, 8});
  t.Tensor("w_up", {8, 16}, v1::PLACEMENT_WEIGHT);
  t.Tensor("h", {4, 16});
  t.Tensor("a", {4, 8});
  t.Tensor("w_down", {8, 8}, v1::PLACEMENT_WEIGHT);
  t.Tensor("y", {4, 8});
  t.Tensor("z", {4, 8});
  t.Op("norm", {"x", "g"}, {"xn"})->mutable_norm()->set_kind(v1::NORM_RMS);
  t.Op("up", {"xn", "w_up"}, {"h"})->mutable_matmul();
  t.Op("act", {"h"}, {"a"})->mutable_activation()->set_kind(v1::ACTIVATION_SWIGLU);
  t.Op("down", {"a", "w_down"}, {"y"})->mutable_matmul();
  t.Op("residual", {"x", "y"}, {"z"})
      ->mutable_elementwise()
      ->set_kind(v1::ELEMENTWISE_ADD);
  return t.graph;
}

}  // namespace dsasim::workloads::testing
