// File: tests/graph/test_graphs.h
//
// Small hand-built operator graphs for the graph tooling tests, with sizes
// chosen so that their statistics can be worked out by hand.
//
// Example:
//   TestGraph t;
//   t.Tensor("x", {4, 8});
//   t.Tensor("w", {8, 16}, v1::PLACEMENT_WEIGHT);
//   t.Tensor("y", {4, 16});
//   t.Op("mm", {"x", "w"}, {"y"})->mutable_matmul();
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads::testing {

struct TestGraph {
  TestGraph();
  v1::Tensor* Tensor(const std::string& name, std::vector<int64_t> shape,
                     v1::Placement placement = v1::PLACEMENT_ACTIVATION,
                     v1::DType dtype = v1::DTYPE_BF16);
  v1::Operator* Op(const std::string& name, std::vector<std::string> inputs,
                   std::vector<std::string> outputs, int layer = 0);
  v1::OperatorGraph graph;
};

// One MLP block in bf16:
//   norm(x [4,8], g [8]) -> xn; up: xn · w_up [8,16] -> h; swiglu(h) -> a [4,8];
//   down: a · w_down [8,8] -> y; residual: x + y -> z.
// Params 200; FLOPs 128 + 1024 + 160 + 512 + 32 = 1856; op bytes
// 144 + 448 + 192 + 256 + 192 = 1232; weights 400 B, activations 448 B.
v1::OperatorGraph MlpBlock();

}  // namespace dsasim::workloads::testing
