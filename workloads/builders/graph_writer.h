// File: workloads/builders/graph_writer.h
//
// Appends tensors and operators to an OperatorGraph, keeping every name
// unique and wiring the control dependencies that views need.
//
// Example:
//   GraphWriter w(graph, v1::PHASE_DECODE);
//   w.Tensor("L0.attn.q_proj", {8, 4096}, v1::DTYPE_BF16, v1::PLACEMENT_ACTIVATION);
//   w.View("L0.attn.q", {8, 32, 128}, v1::DTYPE_BF16, {"L0.attn.q_proj"});
//   w.Op("L0.attn.q_rope", {"L0.attn.q"}, {"L0.attn.q_rot"}, 0, 0)
//       .mutable_rope()->set_theta(5e5);
//
// Contract:
//   - A name used twice (tensor or op) is a logic error of the builder:
//     std::logic_error, never a silently duplicated name. The one exception
//     is SharedTensor, for a tensor several ops read by design (a weight
//     that every pipeline microbatch reads): asked again with the same
//     shape, dtype and placement, it returns the existing tensor.
//   - Op() adds, for each input that is a view, the producers of the view's
//     parts to control_deps (graph.proto, Tensor.view_of).
//   - The writer stamps every op with the graph's phase.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

class GraphWriter {
 public:
  GraphWriter(v1::OperatorGraph& graph, v1::Phase phase);

  // Adds a tensor and returns its name.
  std::string Tensor(const std::string& name, const std::vector<int64_t>& shape,
                     v1::DType dtype, v1::Placement placement);
  // Adds a tensor, or returns the one of that name when it exists with the
  // same shape, dtype and placement (std::logic_error when it differs).
  std::string SharedTensor(const std::string& name, const std::vector<int64_t>& shape,
                           v1::DType dtype, v1::Placement placement);
  // Adds a view over `parts` (reshape, slice or last-dim concatenation).
  std::string View(const std::string& name, const std::vector<int64_t>& shape,
                   v1::DType dtype, const std::vector<std::string>& parts);
  // The tensor named `name`, which must exist; for setting layout and
  // quantization.
  v1::Tensor& MutableTensor(const std::string& name);
  const v1::Tensor& TensorByName(const std::string& name) const;

  v1::Operator& Op(const std::string& name, const std::vector<std::string>& inputs,
                   const std::vector<std::string>& outputs, int layer, int device);

 private:
  v1::OperatorGraph& graph_;
  v1::Phase phase_;
  std::unordered_map<std::string, int> tensor_index_;
  std::unordered_set<std::string> op_names_;
  std::unordered_map<std::string, std::string> producer_;  // tensor -> op
};

}  // namespace dsasim::workloads
