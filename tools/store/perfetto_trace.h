// File: tools/store/perfetto_trace.h
//
// Turns a stored run into a Chrome trace-event JSON document, the format
// ui.perfetto.dev (and chrome://tracing) opens.
//
// Example:
//   StoredRun run = store.ReadRun(ResolveRunId(store, "latest"));
//   WriteFileAtomically("run.json", PerfettoTraceJson(run));
//
// Layout of the trace:
//   - one process per chip ("chip N"), one thread per core ("core N"); ops
//     with core -1 ran on all cores and go to a thread "all cores";
//   - each op is a complete event ("ph":"X") with ts/dur in microseconds and
//     args kind, layer, flops, bytes, bound, engine, op_index;
//   - the utilization timeline is a process "timeline" holding one counter
//     track per component ("<component> busy", fraction 0..1) and, where the
//     component moved bytes, one for bandwidth ("<component> GB/s"). A
//     counter drops to 0 where a component has no interval.
#pragma once

#include <string>

#include "tools/store/result_store.h"

namespace dsasim::store {

std::string PerfettoTraceJson(const StoredRun& run);

}  // namespace dsasim::store
