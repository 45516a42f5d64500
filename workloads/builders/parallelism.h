// File: workloads/builders/parallelism.h
//
// Where each shard of each model replica runs. Devices are numbered
// replica-major, then stage-major: device = replica·(pp·ep·tp) +
// stage·(ep·tp) + ep_rank·tp + tp_rank.
//
// Example:
//   ParallelPlan plan = MakeParallelPlan(spec, options);   // validates
//   int d = plan.Device(/*stage=*/1, /*ep_rank=*/0, /*tp_rank=*/3, /*replica=*/0);
//   std::vector<int> group = plan.TpGroup(/*stage=*/1, /*ep_rank=*/0, /*replica=*/0);
//
// Contract and modelling choices:
//   - TP splits attention heads and the FFN (column-parallel up/gate,
//     row-parallel down/o_proj). heads % tp must be 0. When kv_heads < tp,
//     tp % kv_heads must be 0 and each device keeps one KV head (KV heads are
//     replicated tp / kv_heads times, the standard practice); otherwise
//     ConfigError naming tensor_parallel.
//   - PP splits the layer stack into contiguous, near-equal stages.
//   - EP (MoE models only) shards experts over ep groups of tp devices;
//     attention and dense layers run data-parallel across those groups, each
//     on its own share of the sequences (DeepSeek's DP-attention + EP
//     deployment), so batch sequences must be at least ep.
//   - DP replicas are independent copies of the model: replica r runs on
//     devices [r·R, (r+1)·R) with R = tp·pp·ep, holds its own weights, and
//     processes batch / dp of the sequences (dp must divide the batch's
//     sequences); no operator crosses replicas. BuildOptions::batch is the
//     global batch.
//   - PP microbatches: each replica's sequences are split into
//     `microbatches` equal parts that flow through the stages one after
//     another (GPipe), sharing the weights (graph_builder.cc).
#pragma once

#include <string>
#include <vector>

#include "workloads/builders/graph_builder.h"

namespace dsasim::workloads {

struct ParallelPlan {
  int tp = 1;
  int pp = 1;
  int ep = 1;
  int dp = 1;
  int microbatches = 1;
  int64_t layers = 0;  // layers actually built
  // Per device: heads, KV heads and FFN columns it holds.
  int64_t local_heads = 0;
  int64_t local_kv_heads = 0;

  int DevicesPerReplica() const { return tp * pp * ep; }
  int Devices() const { return DevicesPerReplica() * dp; }
  int Device(int stage, int ep_rank, int tp_rank, int replica) const {
    return replica * DevicesPerReplica() + stage * ep * tp + ep_rank * tp + tp_rank;
  }
  std::vector<int> TpGroup(int stage, int ep_rank, int replica) const;
  std::vector<int> EpGroup(int stage, int tp_rank, int replica) const;
  int StageOfLayer(int64_t layer) const;
  // Name suffix of a device's tensors and ops: "" when the graph has one
  // device, else ".d<device>".
  std::string Suffix(int device) const;
  // Name suffix of a microbatch's tensors and ops: "" when there is one
  // microbatch (graphs without microbatches keep their names), else
  // ".mb<microbatch>".
  std::string MicrobatchSuffix(int microbatch) const;
};

// Validates options against the model; ConfigError naming option and value.
ParallelPlan MakeParallelPlan(const ModelSpec& spec, const BuildOptions& options);

// `value` / `parts`, or ConfigError naming `option` when it does not divide.
int64_t DivideOrThrow(int64_t value, int64_t parts, const std::string& what,
                      const std::string& option);

}  // namespace dsasim::workloads
