// File: workloads/graph/graph_stats.h
//
// Size and work of an operator graph, computed from shapes alone: parameter
// counts, FLOPs and bytes per op and per layer, arithmetic intensity and the
// footprint of each tensor class. Used by `dsasim graph stats` and as a
// sanity bound on simulated results (no run can beat FLOPs / peak).
//
// Example:
//   GraphStats s = ComputeStats(graph);
//   s.params_total;                  // weight elements in the graph
//   s.per_op[3].flops / s.per_op[3].bytes;
//
// REQUIRES: ValidateGraph(graph) passed.
//
// Counting rules (the FLOP constants are per element of the output unless
// said otherwise; they are rough on purpose: vector ops are bandwidth-bound,
// so their FLOPs only need the right order of magnitude):
//   matmul, batch_matmul  2·M·N·K (grouped: M = all routed rows).
//   attention   per sequence 2·pairs·q_heads·(head_dim + v_head_dim), where
//               pairs are the (query, key) pairs actually scored: q·kv, or for
//               causal attention with the q new tokens at the end of kv,
//               sum over queries of the keys at or before them (prefill q == kv
//               gives q(q+1)/2: the causal halving), capped by sliding_window.
//               Softmax inside attention is not counted (it runs on another
//               unit and is small next to the two matmuls).
//   norm        rms 4, layer 7 (mean, centre, square, sum, scale, gamma, beta).
//   softmax     5 (max, subtract, exp, sum, divide).
//   elementwise 1.   rope 3 (x·cos + rotate(x)·sin).
//   activation  relu 1, silu 4, gelu 8 (tanh form), swiglu 5, geglu 9.
//   moe_router  6 per input logit (softmax + top-k selection).
//   moe_combine 2·top_k (weighted sum of the expert rows).
//   collective  all_reduce / reduce_scatter 1 per input element (the sum);
//               the other collectives, send_recv, embedding, moe_dispatch and
//               kv-cache ops move data only: 0.
// Bytes of an op are the sizes of the tensors it reads and writes, each once,
// except: kv_cache_append moves only the new rows (read + write, not the
// whole cache it outputs) and kv_cache_read reads and writes its output's
// size. Layer figures sum their ops (a tensor shared by two ops is traffic
// twice: that is what the memory sees without fusion).
//
// Parameters are the elements of PLACEMENT_WEIGHT tensors (scales excluded).
// Active parameters are what an average token touches: the weights of a
// grouped (expert) matmul count top_k / num_experts, taken from the
// moe_dispatch of the same layer (or of the graph if that layer has none).
// Under expert parallelism the graph holds the local experts only, and the
// fraction is still the routed share of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dsasim/v1/graph.pb.h"
#include "workloads/graph/graph_index.h"

namespace dsasim::workloads {

struct OpStats {
  std::string name;
  std::string kind;
  int layer = -1;
  double flops = 0;
  int64_t bytes = 0;
  // flops / bytes; 0 for an op that moves no bytes.
  double intensity = 0;
};

struct LayerStats {
  int layer = -1;  // -1: ops outside the layer stack (embedding, head)
  double flops = 0;
  int64_t bytes = 0;
  double intensity = 0;
};

// Footprint of the distinct tensors of each placement.
struct BytesByClass {
  int64_t weight = 0;
  int64_t weight_scale = 0;
  int64_t activation = 0;
  int64_t kv_cache = 0;
};

struct GraphStats {
  int64_t params_total = 0;
  double params_active = 0;
  double flops = 0;
  int64_t bytes = 0;  // sum of per-op bytes
  BytesByClass bytes_by_class;
  std::vector<LayerStats> per_layer;  // ascending layer, -1 first
  std::vector<OpStats> per_op;        // in graph.ops() order
};

GraphStats ComputeStats(const v1::OperatorGraph& graph);

// FLOPs of one op under the rules above; `index` resolves its tensors.
double OpFlops(const v1::Operator& op, const GraphIndex& index);

}  // namespace dsasim::workloads
