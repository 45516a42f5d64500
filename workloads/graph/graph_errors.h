// File: workloads/graph/graph_errors.h
//
// The one place that words validation errors, so every message has the same
// shape: "<origin>: op 'layer0.qkv' (matmul): K of A (256) != K of B (512)"
// or "<origin>: tensor 'layer0.q': ...".
//
// Example:
//   if (k_a != k_b) FailOp(origin, op, "K of A (...) != K of B (...)");
#pragma once

#include <string>
#include <string_view>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

// "[2, 16, 256]"; "[]" for a scalar.
std::string ShapeString(const v1::Tensor& tensor);

[[noreturn]] void FailGraph(std::string_view origin, const std::string& what);
[[noreturn]] void FailOp(std::string_view origin, const v1::Operator& op,
                         const std::string& what);
[[noreturn]] void FailTensor(std::string_view origin, std::string_view tensor,
                             const std::string& what);

}  // namespace dsasim::workloads
