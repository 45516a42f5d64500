// File: tests/workloads/graph_accounting.h
//
// Closed-form counts read off a built graph, for the accounting tests:
// parameters, KV-cache bytes, FLOPs and collective payloads. Computed here
// independently of workloads/graph's statistics so that the builder is
// checked against arithmetic, not against another consumer.
//
// Example:
//   GraphCounts c = CountGraph(BuildGraph(LoadModelSpec("llama3-8b"), opt));
//   EXPECT_NEAR(c.params, 8.03e9, 0.01 * 8.03e9);
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

struct GraphCounts {
  double params = 0;                // elements of PLACEMENT_WEIGHT tensors
  double routed_expert_params = 0;  // of which grouped expert weights
  double kv_cache_bytes = 0;        // bytes of all KV-cache tensors
  double matmul_flops = 0;          // 2·M·N·K over all matmuls
  double attention_flops = 0;       // QK^T and PV over attended pairs
  // Payload bytes per collective kind, summed over ops of device 0.
  std::map<v1::CollectiveKind, double> device0_collective_bytes;
  std::map<v1::CollectiveKind, int> device0_collectives;
};

double BytesPerElement(v1::DType dtype);
GraphCounts CountGraph(const v1::OperatorGraph& graph);

}  // namespace dsasim::workloads
