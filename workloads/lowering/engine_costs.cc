#include "workloads/lowering/engine_costs.h"

#include <algorithm>

namespace dsasim::workloads {

EngineCosts::EngineCosts(const arch::ChipConfig& chip)
    : chip_(chip),
      vector_(chip.vector.lanes, chip.vector.instruction_overhead_cycles,
              chip.vector.op_costs),
      scalar_(chip.scalar.lanes, chip.scalar.instruction_overhead_cycles,
              chip.scalar.op_costs) {
  const arch::TensorEngineConfig& t = chip.tensor;
  if (t.kind == arch::TensorEngineConfig::Kind::kSystolic) {
    systolic_ = std::make_unique<arch::SystolicArray>(t.rows, t.cols, t.dataflow);
  } else {
    mma_ = std::make_unique<arch::MmaUnit>(t.flops_per_cycle, t.units, t.min_m, t.min_n,
                                           t.min_k, t.efficiency);
  }
}

bool EngineCosts::TensorNative(v1::DType dtype) const {
  return chip_.tensor.rates.count(dtype) > 0;
}

double EngineCosts::TensorCycles(int64_t m, int64_t n, int64_t k, v1::DType dtype) const {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  double rate = chip_.tensor.RateFor(dtype);
  // Engines of a core work on disjoint column slices of the tile.
  int64_t count = std::max(1, chip_.tensor.count);
  int64_t n_each = (n + count - 1) / count;
  if (mma_) return mma_->Cycles({m, n_each, k}, rate);
  return static_cast<double>(systolic_->Cycles({m, n_each, k})) / rate;
}

double EngineCosts::VectorCycles(std::initializer_list<std::string_view> ops,
                                 int64_t elements) const {
  double cycles = 0;
  for (std::string_view op : ops) cycles += vector_.Cycles(op, elements);
  return cycles;
}

double EngineCosts::ScalarCycles(std::initializer_list<std::string_view> ops,
                                 int64_t elements) const {
  double cycles = 0;
  for (std::string_view op : ops) cycles += scalar_.Cycles(op, elements);
  return cycles;
}

}  // namespace dsasim::workloads
