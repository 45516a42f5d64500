#include "workloads/graph/graph_errors.h"

#include "sim/error.h"
#include "workloads/graph/op_kind.h"

namespace dsasim::workloads {

std::string ShapeString(const v1::Tensor& tensor) {
  std::string out = "[";
  for (int i = 0; i < tensor.shape_size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(tensor.shape(i));
  }
  return out + "]";
}

void FailGraph(std::string_view origin, const std::string& what) {
  throw ConfigError(std::string(origin) + ": " + what);
}

void FailOp(std::string_view origin, const v1::Operator& op, const std::string& what) {
  throw ConfigError(std::string(origin) + ": op '" + op.name() + "' (" +
                    std::string(OpKindName(op)) + "): " + what);
}

void FailTensor(std::string_view origin, std::string_view tensor,
                const std::string& what) {
  throw ConfigError(std::string(origin) + ": tensor '" + std::string(tensor) +
                    "': " + what);
}

}  // namespace dsasim::workloads
