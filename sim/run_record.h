// File: sim/run_record.h
//
// What one simulation run produced, in the shape of the result store's tables
// (docs/results_schema.md): metrics, one row per operator, the utilization
// timeline, and per-request rows for serving runs. Simulations fill it; the
// store (tools/store) writes it in one transaction. Times are picoseconds
// from the start of the run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dsasim {

struct MetricRecord {
  std::string name;
  double value = 0;
  std::string unit;
};

struct OpRecord {
  int64_t op_index = 0;
  std::string name;
  std::string kind;
  int32_t layer = -1;
  int32_t chip = 0;
  // -1 when the operator ran on all cores of the chip.
  int32_t core = -1;
  int64_t start_ps = 0;
  int64_t end_ps = 0;
  double flops = 0;
  // Bytes moved between off-chip memory and the chip.
  double bytes = 0;
  // Engine class that did most of the work ("tensor", "vector", "dma").
  std::string engine;
  // Bottleneck class: compute, hbm, sram, interconnect or overhead.
  std::string bound;
  // The lowering's recorded choices as JSON (tile shape, buffers, engine).
  std::string lowering;
};

// Busy fraction of one component over [start, end).
struct TimelineRecord {
  // "hbm", "tensor", ...; on a system of chips scoped by chip
  // ("chip3.hbm"), and the chip-to-chip links as "link.<name>".
  std::string component;
  int64_t start_ps = 0;
  int64_t end_ps = 0;
  double busy_fraction = 0;
  double bytes = 0;
  // The chip the component belongs to (a link: its source chip).
  int32_t chip = 0;
};

struct RequestRecord {
  int64_t request_id = 0;
  double arrival_s = 0;
  double first_token_s = 0;
  double finish_s = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
};

struct RunRecord {
  std::string system_name;
  // The full system description as textproto, after overrides.
  std::string system_text;
  // What ran: model, phase, shape.
  std::string workload;
  // Every parameter that shaped the run, as a JSON object.
  std::string parameters_json;
  // Hash of system_text + workload + parameters; identical configs collide
  // on purpose (sweeps skip points already present).
  std::string config_hash;
  std::string dsasim_version;
  uint64_t seed = 0;
  double wall_seconds = 0;
  uint64_t event_count = 0;
  std::vector<MetricRecord> metrics;
  std::vector<OpRecord> ops;
  std::vector<TimelineRecord> timeline;
  std::vector<RequestRecord> requests;
};

}  // namespace dsasim
