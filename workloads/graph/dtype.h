// File: workloads/graph/dtype.h
//
// Element sizes and names of the graph's dtypes. Sub-byte types (int4, fp4)
// are packed two per byte, so they weigh 0.5 B per element and a tensor's
// byte size rounds up to whole bytes.
//
// Example:
//   DTypeBytes(v1::DTYPE_FP4_E2M1);              // 0.5
//   TensorBytes(tensor);                         // ceil(elements * 0.5) for fp4
//   DTypeName(v1::DTYPE_BF16);                   // "bf16"
//
// Contract: DTypeBytes and TensorBytes throw ConfigError for
// DTYPE_UNSPECIFIED (a tensor without a dtype has no size); TensorBytes
// requires a tensor whose element count fits int64 (ValidateGraph checks).
#pragma once

#include <cstdint>
#include <string_view>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

double DTypeBytes(v1::DType dtype);

// Short lower-case name: "fp32", "bf16", "fp16", "fp8_e4m3", "fp8_e5m2",
// "int8", "int4", "fp4_e2m1", "int32"; "unspecified" for 0.
std::string_view DTypeName(v1::DType dtype);

// Product of the shape (1 for a scalar). REQUIRES: no overflow (validated).
int64_t TensorElements(const v1::Tensor& tensor);

// Storage size in whole bytes.
int64_t TensorBytes(const v1::Tensor& tensor);

}  // namespace dsasim::workloads
