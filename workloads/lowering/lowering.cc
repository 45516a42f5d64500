#include "workloads/lowering/lowering.h"

#include "sim/error.h"
#include "workloads/graph/op_kind.h"
#include "workloads/lowering/attention_lowering.h"
#include "workloads/lowering/data_movement_lowering.h"
#include "workloads/lowering/matmul_lowering.h"
#include "workloads/lowering/vector_lowering.h"

namespace dsasim::workloads {

namespace {

LoweredOp LowerByKind(const v1::Operator& op, const LoweringContext& ctx) {
  switch (op.kind_case()) {
    case v1::Operator::kMatmul:
      return LowerMatMul(op, ctx);
    case v1::Operator::kBatchMatmul:
      return LowerMatMul(op, ctx);
    case v1::Operator::kAttention:
      return LowerAttention(op, ctx);
    case v1::Operator::kNorm:
    case v1::Operator::kSoftmax:
    case v1::Operator::kElementwise:
    case v1::Operator::kActivation:
    case v1::Operator::kRope:
    case v1::Operator::kMoeRouter:
    case v1::Operator::kMoeCombine:
      return LowerVectorOp(op, ctx);
    case v1::Operator::kEmbedding:
    case v1::Operator::kMoeDispatch:
    case v1::Operator::kKvCacheRead:
    case v1::Operator::kKvCacheAppend:
      return LowerDataMovement(op, ctx);
    case v1::Operator::kCollective:
      if (op.collective().group_size() <= 1)
        return LoweredOp{{}, R"({"engine":"none"})", 0};
      throw MappingError(
          "op '" + op.name() + "': a collective over " +
          std::to_string(op.collective().group_size()) +
          " devices needs a multi-chip system (not supported by `run` yet)");
    case v1::Operator::kSendRecv:
      if (op.send_recv().src_device() == op.send_recv().dst_device()) {
        return LoweredOp{{}, R"({"engine":"none"})", 0};
      }
      throw MappingError("op '" + op.name() +
                         "': send/recv between devices needs a "
                         "multi-chip system (not supported by `run` yet)");
    case v1::Operator::KIND_NOT_SET:
      break;
  }
  throw ConfigError("op '" + op.name() + "': unknown operator kind");
}

}  // namespace

LoweredOp LowerOperator(const v1::Operator& op, const LoweringContext& ctx) {
  LoweredOp lowered = LowerByKind(op, ctx);
  lowered.program.memory_efficiency = ctx.chip.MemoryEfficiency(OpKindName(op));
  return lowered;
}

}  // namespace dsasim::workloads
