#include "workloads/graph/dtype.h"

#include <string>

#include "sim/error.h"

namespace dsasim::workloads {

double DTypeBytes(v1::DType dtype) {
  switch (dtype) {
    case v1::DTYPE_FP32:
    case v1::DTYPE_INT32:
      return 4;
    case v1::DTYPE_BF16:
    case v1::DTYPE_FP16:
      return 2;
    case v1::DTYPE_FP8_E4M3:
    case v1::DTYPE_FP8_E5M2:
    case v1::DTYPE_INT8:
      return 1;
    case v1::DTYPE_INT4:
    case v1::DTYPE_FP4_E2M1:
      return 0.5;
    default:
      break;
  }
  throw ConfigError("dtype " + std::string(DTypeName(dtype)) + " (" +
                    std::to_string(static_cast<int>(dtype)) + ") has no element size");
}

std::string_view DTypeName(v1::DType dtype) {
  switch (dtype) {
    case v1::DTYPE_FP32:
      return "fp32";
    case v1::DTYPE_BF16:
      return "bf16";
    case v1::DTYPE_FP16:
      return "fp16";
    case v1::DTYPE_FP8_E4M3:
      return "fp8_e4m3";
    case v1::DTYPE_FP8_E5M2:
      return "fp8_e5m2";
    case v1::DTYPE_INT8:
      return "int8";
    case v1::DTYPE_INT4:
      return "int4";
    case v1::DTYPE_FP4_E2M1:
      return "fp4_e2m1";
    case v1::DTYPE_INT32:
      return "int32";
    default:
      return "unspecified";
  }
}

namespace {

std::string ShapeText(const v1::Tensor& tensor) {
  std::string text = "[";
  for (int64_t dim : tensor.shape()) {
    text += (text.size() > 1 ? ", " : "") + std::to_string(dim);
  }
  return text + "]";
}

}  // namespace

int64_t TensorElements(const v1::Tensor& tensor) {
  // 2^50 elements (a petabyte of bf16) is beyond any model; capping there
  // keeps byte counts exact in a double and their products inside int64.
  constexpr int64_t kMaxElements = int64_t{1} << 50;
  int64_t elements = 1;
  for (int64_t dim : tensor.shape()) {
    if (dim < 0 || __builtin_mul_overflow(elements, dim, &elements) ||
        elements > kMaxElements) {
      throw ConfigError("tensor '" + tensor.name() + "': shape " + ShapeText(tensor) +
                        " has a negative dimension or more than 2^50 elements");
    }
  }
  return elements;
}

int64_t TensorBytes(const v1::Tensor& tensor) {
  double per_element = DTypeBytes(tensor.dtype());
  int64_t elements = TensorElements(tensor);
  // Packed sub-byte elements: an odd count still occupies its last byte.
  if (per_element < 1) return (elements + 1) / 2;
  return elements * static_cast<int64_t>(per_element);
}

}  // namespace dsasim::workloads
