// File: tools/validate/validation_suite.h
//
// The real-hardware comparison: for every row of a measured reference table,
// build the one-operator graph it timed, run it on the matching system preset
// with workloads::ExecuteGraph, and compare simulated with measured latency.
// Error per row is (simulated − measured) / measured; a table's score is the
// mean absolute percentage error (MAPE, as a fraction), the way the field
// reports operator-level accuracy.
//
// Example:
//   for (const TableSpec& spec : AllTables()) {
//     TableResult r = RunTable(spec);
//     std::cout << spec.name << " MAPE " << r.mape << "\n";
//   }
//
// Goals. A table may carry a calibration goal (the largest MAPE the preset
// was calibrated to meet, docs/validation.md); tables without one are
// reported only. Every row must also respect physics: a simulated latency
// below the row's roofline (FLOPs at peak, or every tensor moved once at the
// peak bandwidth of the memory it lives in) means a calibration fits noise.
// GoalViolations() lists both kinds of failure; `dsasim validate --check` exits non-zero
// on any.
//
// Contract: deterministic (same binary → same numbers); a row the simulator
// cannot map (MappingError) is a failure of the run, never skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::validate {

// kAllReduce: a collective over every chip of the preset (nccl-tests
// all_reduce_perf), rows of at least 64 KiB (smaller ones are bound by the
// library's launch, which is software).
enum class OperatorClass { kGemm, kSoftmax, kLayerNorm, kGelu, kAllReduce };

// One reference table: which measurements, on which preset, of what.
struct TableSpec {
  std::string_view name;             // "a100_gemm"
  std::string_view preset;           // system preset the table is run on
  std::string_view csv;              // embedded reference file
  std::string_view measured_column;  // latency column
  double seconds_per_unit;           // 1e-3 for ms, 1e-6 for µs
  OperatorClass op;
  // The element type the measurement ran in (the CSV's source line says).
  v1::DType dtype;
  // A condition of the measurement as a `--set` assignment ("" for none):
  // the MI210 runs were clock-locked at 1400 MHz, below the chip's 1.7 GHz.
  std::string_view condition = "";
  // The calibration goal as a MAPE fraction; 0: report only.
  double goal = 0;
};

struct RowResult {
  std::string shape;  // "m=8192 k=4096 n=4096"
  double measured_s = 0;
  double simulated_s = 0;
  double error = 0;  // signed fraction
  // The fastest the row could run on the preset: max(FLOPs / peak FLOP/s,
  // every tensor moved once at the peak bandwidth of the memory it is in).
  double roofline_s = 0;
  std::string lowering;  // the lowering's choices, for diagnosis
};

struct TableResult {
  std::string name;
  double goal = 0;  // copied from the TableSpec
  std::string source;
  std::vector<RowResult> rows;
  double mape = 0;
};

// Every table, A100 first; names are the keys of `dsasim validate --json`.
const std::vector<TableSpec>& AllTables();
// REQUIRES: `name` is one of AllTables(); otherwise ConfigError listing them.
const TableSpec& FindTable(std::string_view name);

TableResult RunTable(const TableSpec& spec);

// Mean of |error| over rows (0 for no rows).
double Mape(const std::vector<RowResult>& rows);

// One line per failure: the MAPE above the goal, a row below its roofline.
// Empty when the table passes.
std::vector<std::string> GoalViolations(const TableResult& result);

}  // namespace dsasim::validate
