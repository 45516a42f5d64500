// File: tests/lowering/graph_fixtures.h
//
// Small hand-built operator graphs for lowering and chip tests: they pin the
// shapes exactly, independent of the model builders.
#pragma once

#include <string>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::testing {

inline v1::Tensor* AddTensor(v1::OperatorGraph& g, const std::string& name,
                             std::initializer_list<int64_t> shape,
                             v1::Placement placement, v1::DType dtype = v1::DTYPE_BF16) {
  v1::Tensor* t = g.add_tensors();
  t->set_name(name);
  for (int64_t d : shape) t->add_shape(d);
  t->set_dtype(dtype);
  t->set_placement(placement);
  return t;
}

// C[m,n] = A[m,k] · W[k,n], `copies` times in a chain (x_i+1 = x_i · W_i),
// each with its own weight — identical layers for memoization tests.
inline v1::OperatorGraph MatMulChain(int64_t m, int64_t k, int copies = 1,
                                     v1::DType weight_dtype = v1::DTYPE_BF16) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("matmul_chain");
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_DECODE);
  g.mutable_origin()->set_batch(m);
  AddTensor(g, "x0", {m, k}, v1::PLACEMENT_ACTIVATION);
  for (int i = 0; i < copies; ++i) {
    std::string w = "w" + std::to_string(i), y = "x" + std::to_string(i + 1);
    AddTensor(g, w, {k, k}, v1::PLACEMENT_WEIGHT, weight_dtype);
    AddTensor(g, y, {m, k}, v1::PLACEMENT_ACTIVATION);
    v1::Operator* op = g.add_ops();
    op->set_name("mm" + std::to_string(i));
    op->add_inputs("x" + std::to_string(i));
    op->add_inputs(w);
    op->add_outputs(y);
    op->set_layer(i);
    op->mutable_matmul();
  }
  return g;
}

}  // namespace dsasim::testing
