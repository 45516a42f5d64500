// File: tools/store/named_queries.h
//
// The questions `dsasim query` answers by name. Each is plain SQL over the
// public schema (docs/results_schema.md shows the same SQL), except the
// Pareto front, which SQL states awkwardly and C++ states in ten lines.
//
// Example:
//   int64_t run = ResolveRunId(store, "latest");
//   std::cout << FormatText(UtilizationQuery(store, run));
//
// Contract: every function reads only; a run id that does not exist is a
// ConfigError naming the database, never an empty table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/store/query_result.h"
#include "tools/store/result_store.h"

namespace dsasim::store {

// "latest" (the newest run) or a run id. Throws ConfigError for anything
// else, for an id not in the database, and for "latest" in an empty one.
int64_t ResolveRunId(const ResultStore& store, std::string_view spec);

// id, created, system, workload, config_hash, seed, wall_s, events, ops.
QueryResult RunsQuery(const ResultStore& store);
// name, value, unit.
QueryResult MetricsQuery(const ResultStore& store, int64_t run_id);
// Per component: busy_fraction = sum(busy_fraction * interval length) / run
// span, where the span runs from the first timeline interval's start to the
// last one's end (time a component has no interval for counts as idle);
// busy_s; bytes; GB_per_s over the span. Busiest first (ties by name).
QueryResult UtilizationQuery(const ResultStore& store, int64_t run_id);
// Per (bound, kind): ops, time_s (summed op durations) and share of all op
// time. Overlapping ops each count, so time_s may exceed the run's length.
QueryResult BottlenecksQuery(const ResultStore& store, int64_t run_id);
// Per op kind: count, time_s, flops, bytes, achieved TFLOP/s and FLOP/byte.
QueryResult OpBreakdownQuery(const ResultStore& store, int64_t run_id);
// Columns name, unit, run_<a>, run_<b>, ratio (b / a). The first two rows
// say what each run is ("system", "workload"; no unit or ratio), then one
// row per metric of either run, by name; a metric only one run has is NULL
// for the other.
QueryResult CompareQuery(const ResultStore& store, int64_t run_a, int64_t run_b);

struct ParetoAxes {
  std::string x_metric;
  std::string y_metric;
  bool maximize_x = false;
  bool maximize_y = false;
};
// The runs no other run beats on both metrics (each minimized unless asked
// to maximize), sorted by x. Runs lacking either metric are left out; if no
// run has both, throws ConfigError listing the metric names that exist.
QueryResult ParetoQuery(const ResultStore& store, const ParetoAxes& axes);

}  // namespace dsasim::store
