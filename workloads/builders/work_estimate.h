// File: workloads/builders/work_estimate.h
//
// How big a run will be, known before the work is done. A user who types
// `--batch 100000000` or a trace with a 4e15-token context must get a clear
// refusal in milliseconds, not a machine that swaps for minutes and dies
// with bad_alloc. Every entry point (run, bench, sweep, fuzz) goes through
// the same checks.
//
// Example:
//   CheckWorkloadRanges(build, "llama3-8b");         // --batch 0 → ConfigError
//   GraphSize size = EstimateGraphSize(spec, build);  // no full graph built
//   CheckGraphFits(size, limits, "llama3-8b");       // LimitError above --max-memory
//   v1::OperatorGraph g = BuildGraph(spec, build);    // now safe to build
//
// The estimate builds the same model four times at 1–2 layers and 1–2
// sequences and extends the counts bilinearly in layers × sequences. That is
// exact for a graph whose size is affine in each (every dense and MoE model
// shipped: a layer's ops do not depend on the layer count, and per-sequence
// lists grow linearly with the batch), and it is fitted on the last layers
// of the small builds, so leading dense layers of a MoE model (DeepSeek's
// first_k_dense) count as MoE layers: an over-estimate of a few percent.
#pragma once

#include <string_view>

#include "dsasim/v1/graph.pb.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/models/model_spec.h"

namespace dsasim::workloads {

// What a run may use; `dsasim run --max-events / --max-memory` raise them.
struct WorkLimits {
  // Simulated events (each tile's DMA, compute and store steps).
  double max_events = 2e9;
  // Resident memory for the graph, its lowering and its records.
  double max_memory_bytes = 8.0 * (1ull << 30);
};

struct GraphSize {
  double ops = 0;
  double tensors = 0;
  // Entries of per-sequence lists (attention q_lens/kv_lens, MoE token
  // counts): 8 bytes each in memory.
  double list_entries = 0;
  // The graph's protobuf encoding.
  double encoded_bytes = 0;
  // Weights, scales and KV cache: what must fit the chip's HBM.
  double stored_bytes = 0;

  // Resident memory while the graph is simulated: the parsed graph (about 4×
  // its encoding, measured on the shipped models, plus the lists at 8 B per
  // entry) and the per-op lowering and records (about 2 KiB per op).
  double MemoryBytes() const;
};

// Throws ConfigError naming the flag's field, its value and its range
// (proto/dsasim/v1/sweep.proto WorkloadSpec) when an option is out of range.
void CheckWorkloadRanges(const BuildOptions& options, std::string_view origin);

// The size BuildGraph(spec, options) would have, from small builds.
GraphSize EstimateGraphSize(const ModelSpec& spec, const BuildOptions& options);
// The size of a graph that exists (a loaded trace).
GraphSize MeasureGraphSize(const v1::OperatorGraph& graph);

// Throws LimitError when the graph's memory exceeds the limit, naming the
// estimate, the limit and --max-memory.
void CheckGraphFits(const GraphSize& size, const WorkLimits& limits,
                    std::string_view origin);

}  // namespace dsasim::workloads
