// File: workloads/lowering/run_bounds.h
//
// Lower bounds on what simulating a graph will take, known before lowering,
// so that a run that cannot fit the limits is refused at once instead of
// swapping for minutes:
//   - events: every tile is at least one event. An op moving B bytes takes
//     at least B / scratchpad tiles; fused attention takes at least one step
//     per (sequence, KV head, 128-query block, 256-token KV block), the
//     largest blocks its lowering tries.
//   - memory: per core state, and the lowered program of the largest op,
//     at costs set just below what was measured (h100, Llama-3-8B, one
//     layer, context 128, at 86552e0+: 13.9 KB per core from 1 k to 100 k
//     cores; 22 KB per attention unit from batch 1024 to 4096).
// Real runs take more (Llama-3-8B decode b8 c4096 on h100: 1.55 M events),
// so these bounds refuse only runs that are hopeless; the simulator's event
// and resident-memory limits stop the rest when they reach them.
//
// Example:
//   RunBounds b = MinimumRunBounds(graph, chip);
//   if (b.events > max_events) throw LimitError(...);
#pragma once

#include "arch_models/chip/chip_config.h"
#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

struct RunBounds {
  double events = 0;
  double memory_bytes = 0;
};

RunBounds MinimumRunBounds(const v1::OperatorGraph& graph, const arch::ChipConfig& chip);

}  // namespace dsasim::workloads
