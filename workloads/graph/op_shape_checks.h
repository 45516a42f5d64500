// File: workloads/graph/op_shape_checks.h
//
// Per-kind shape and field checks for one operator, the last stage of
// ValidateGraph. Split out so that each kind's rule sits beside its reason.
//
// Example:
//   CheckOpShapes(graph.ops(i), index, "trace.pb");   // throws ConfigError
//
// REQUIRES: the structural checks of ValidateGraph passed (every name the op
// uses resolves to a tensor with a valid shape and a dtype).
//
// Rules, following the comments in graph.proto:
//   matmul        A [..., M, K] · B [K, N] ([N, K] col-major) or [G, K, N]
//                 grouped; K agrees, out [..., M, N]; grouped: G ==
//                 len(group_rows), sum(group_rows) == rows of A.
//   batch_matmul  [B.., M, K] · [B.., K, N] -> [B.., M, N].
//   attention     q [sum(q_lens), q_heads, head_dim]; k/v [.., kv_heads,
//                 head_dim / v_head_dim]; MLA latent [.., kv_lora_rank +
//                 qk_rope_head_dim]; len(q_lens) == len(kv_lens); causal:
//                 kv_len >= q_len; MHA: q_heads == kv_heads; MQA: kv_heads 1.
//   elementwise   inputs broadcast (numpy rules) to exactly the output shape.
//   norm, softmax, rope, activation, send_recv: output shape == input shape
//                 (gated activations halve the last dim of a single input).
//   embedding     ids [...] and a weight table [vocab, H] -> [..., H].
//   moe_*         1 <= top_k <= num_experts; router logits [.., experts].
//   collective    element counts: all_gather multiplies by the group size,
//                 reduce_scatter divides by it, the others keep it.
#pragma once

#include <string_view>

#include "dsasim/v1/graph.pb.h"
#include "workloads/graph/graph_index.h"

namespace dsasim::workloads {

void CheckOpShapes(const v1::Operator& op, const GraphIndex& index,
                   std::string_view origin);

}  // namespace dsasim::workloads
