#include "tools/validate/operator_graphs.h"

#include <initializer_list>
#include <string>

namespace dsasim::validate {
namespace {

v1::OperatorGraph Empty(const std::string& name, int64_t batch) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name(name);
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_PREFILL);
  g.mutable_origin()->set_batch(1);
  g.mutable_origin()->set_seq_len(batch);
  return g;
}

void AddTensor(v1::OperatorGraph& g, const std::string& name,
               std::initializer_list<int64_t> shape, v1::Placement placement,
               v1::DType dtype) {
  v1::Tensor* t = g.add_tensors();
  t->set_name(name);
  for (int64_t d : shape) t->add_shape(d);
  t->set_dtype(dtype);
  t->set_placement(placement);
}

v1::Operator* AddOp(v1::OperatorGraph& g, const std::string& name,
                    std::initializer_list<const char*> inputs, const char* output) {
  v1::Operator* op = g.add_ops();
  op->set_name(name);
  for (const char* in : inputs) op->add_inputs(in);
  op->add_outputs(output);
  op->set_layer(-1);
  return op;
}

}  // namespace

v1::OperatorGraph GemmGraph(int64_t m, int64_t k, int64_t n, v1::DType dtype) {
  v1::OperatorGraph g = Empty("validate_gemm", m);
  AddTensor(g, "a", {m, k}, v1::PLACEMENT_ACTIVATION, dtype);
  AddTensor(g, "b", {k, n}, v1::PLACEMENT_WEIGHT, dtype);
  AddTensor(g, "c", {m, n}, v1::PLACEMENT_ACTIVATION, dtype);
  AddOp(g, "gemm", {"a", "b"}, "c")->mutable_matmul();
  return g;
}

v1::OperatorGraph SoftmaxGraph(int64_t m, int64_t n, v1::DType dtype) {
  v1::OperatorGraph g = Empty("validate_softmax", m);
  AddTensor(g, "x", {m, n}, v1::PLACEMENT_ACTIVATION, dtype);
  AddTensor(g, "y", {m, n}, v1::PLACEMENT_ACTIVATION, dtype);
  AddOp(g, "softmax", {"x"}, "y")->mutable_softmax();
  return g;
}

v1::OperatorGraph LayerNormGraph(int64_t m, int64_t n, v1::DType dtype) {
  v1::OperatorGraph g = Empty("validate_layernorm", m);
  AddTensor(g, "x", {m, n}, v1::PLACEMENT_ACTIVATION, dtype);
  AddTensor(g, "gamma", {n}, v1::PLACEMENT_WEIGHT, dtype);
  AddTensor(g, "beta", {n}, v1::PLACEMENT_WEIGHT, dtype);
  AddTensor(g, "y", {m, n}, v1::PLACEMENT_ACTIVATION, dtype);
  AddOp(g, "layernorm", {"x", "gamma", "beta"}, "y")
      ->mutable_norm()
      ->set_kind(v1::NORM_LAYER);
  return g;
}

v1::OperatorGraph GeluGraph(int64_t elements, v1::DType dtype) {
  v1::OperatorGraph g = Empty("validate_gelu", elements);
  AddTensor(g, "x", {elements}, v1::PLACEMENT_ACTIVATION, dtype);
  AddTensor(g, "y", {elements}, v1::PLACEMENT_ACTIVATION, dtype);
  AddOp(g, "gelu", {"x"}, "y")->mutable_activation()->set_kind(v1::ACTIVATION_GELU);
  return g;
}

}  // namespace dsasim::validate
