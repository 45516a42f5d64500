// File: workloads/graph/op_kind.h
//
// The short name of an operator's kind, as written in the oneof
// ("matmul", "attention", "kv_cache_append", ...), for messages, tables and
// DOT labels. "unknown" when no kind is set: an op kind from a newer schema
// decodes to exactly that.
//
// Example:
//   OpKindName(graph.ops(0));   // "matmul"
#pragma once

#include <string_view>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

std::string_view OpKindName(const v1::Operator& op);

}  // namespace dsasim::workloads
