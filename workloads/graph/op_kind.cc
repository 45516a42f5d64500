#include "workloads/graph/op_kind.h"

namespace dsasim::workloads {

std::string_view OpKindName(const v1::Operator& op) {
  // The oneof's field names are the schema's own spelling of each kind, so
  // there is no second list to keep in sync.
  if (op.kind_case() == v1::Operator::KIND_NOT_SET) return "unknown";
  const auto* field = v1::Operator::descriptor()->FindFieldByNumber(op.kind_case());
  return field == nullptr ? std::string_view("unknown") : std::string_view(field->name());
}

}  // namespace dsasim::workloads
