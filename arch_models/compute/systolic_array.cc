#include "arch_models/compute/systolic_array.h"

#include <string>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool IsEmpty(const GemmShape& s) { return s.m <= 0 || s.n <= 0 || s.k <= 0; }

}  // namespace

SystolicArray::SystolicArray(int rows, int cols, v1::Dataflow dataflow)
    : rows_(rows), cols_(cols), dataflow_(dataflow) {
  if (rows <= 0 || cols <= 0) {
    throw ConfigError("systolic array: rows and cols must be > 0, got " +
                      std::to_string(rows) + "×" + std::to_string(cols));
  }
  if (dataflow != v1::DATAFLOW_OUTPUT_STATIONARY &&
      dataflow != v1::DATAFLOW_WEIGHT_STATIONARY &&
      dataflow != v1::DATAFLOW_INPUT_STATIONARY) {
    throw ConfigError(
        "systolic array: dataflow must be DATAFLOW_OUTPUT_STATIONARY, "
        "DATAFLOW_WEIGHT_STATIONARY or DATAFLOW_INPUT_STATIONARY");
  }
}

SystolicArray::Mapping SystolicArray::Map(const GemmShape& s) const {
  switch (dataflow_) {
    case v1::DATAFLOW_OUTPUT_STATIONARY:
      return {s.m, s.n, s.k};
    case v1::DATAFLOW_WEIGHT_STATIONARY:
      return {s.k, s.n, s.m};
    default:  // input stationary; the constructor admits nothing else
      return {s.k, s.m, s.n};
  }
}

int64_t SystolicArray::Folds(const GemmShape& shape) const {
  if (IsEmpty(shape)) return 0;
  const Mapping map = Map(shape);
  return CeilDiv(map.sr, rows_) * CeilDiv(map.sc, cols_);
}

int64_t SystolicArray::Cycles(const GemmShape& shape) const {
  if (IsEmpty(shape)) return 0;
  const Mapping map = Map(shape);
  const int64_t r = rows_;
  const int64_t c = cols_;
  // OS keeps outputs in place, so no weight-load prefix: T + R + C − 2.
  // WS/IS first shift the stationary operand in (R cycles) and pay the
  // skew on the way out: 2R + C + T − 2 (component_refs §4.1).
  const int64_t per_fold = dataflow_ == v1::DATAFLOW_OUTPUT_STATIONARY
                               ? map.t + r + c - 2
                               : 2 * r + c + map.t - 2;
  return Folds(shape) * per_fold - 1;
}

double SystolicArray::MappingEfficiency(const GemmShape& shape) const {
  if (IsEmpty(shape)) return 0.0;
  const Mapping map = Map(shape);
  const double mapped = static_cast<double>(map.sr) * static_cast<double>(map.sc);
  const double offered = static_cast<double>(CeilDiv(map.sr, rows_) * rows_) *
                         static_cast<double>(CeilDiv(map.sc, cols_) * cols_);
  return mapped / offered;
}

double SystolicArray::Utilization(const GemmShape& shape) const {
  if (IsEmpty(shape)) return 0.0;
  const double macs = static_cast<double>(shape.m) * static_cast<double>(shape.n) *
                      static_cast<double>(shape.k);
  return macs / (static_cast<double>(Cycles(shape)) * rows_ * cols_);
}

const ComponentInfo& SystolicArray::Info() {
  static const ComponentInfo info{
      "systolic_array",
      "dsasim.v1.SystolicArraySpec",
      "R×C systolic array; GEMM cycles by SCALE-Sim v2's per-fold formulas.",
      {{"rows", "PEs", "(required)", "rows of processing elements (R)"},
       {"cols", "PEs", "(required)", "columns of processing elements (C)"},
       {"dataflow", "enum", "(required)",
        "DATAFLOW_OUTPUT_STATIONARY, _WEIGHT_STATIONARY or _INPUT_STATIONARY"}},
      {{"gemms", "count", "GEMM tiles executed"},
       {"busy_cycles", "cycles", "cycles spent computing"},
       {"macs", "MAC", "useful multiply-accumulates"},
       {"folds", "count", "array-sized folds executed"},
       {"utilization", "fraction", "macs / (busy_cycles · R · C)"}}};
  return info;
}

}  // namespace dsasim::arch
