// File: workloads/lowering/engine_costs.h
//
// The engines' cost models bound to one chip configuration: tensor-engine
// cycles for a GEMM tile (SCALE-Sim formulas for systolic arrays, padded MMA
// tiles for GPU-like cores) and vector/scalar cycles for element-wise work.
//
// Example:
//   EngineCosts costs(chip);
//   double c = costs.TensorCycles(128, 256, 64, v1::DTYPE_BF16);
//   double v = costs.VectorCycles({"mul", "sum", "mul"}, 4096);
#pragma once

#include <initializer_list>
#include <memory>
#include <string_view>

#include "arch_models/chip/chip_config.h"
#include "arch_models/compute/mma_unit.h"
#include "arch_models/compute/systolic_array.h"
#include "arch_models/compute/vector_cost.h"
#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

class EngineCosts {
 public:
  explicit EngineCosts(const arch::ChipConfig& chip);

  // Cycles of one core's tensor engines for an m×k · k×n tile in `dtype`.
  // Several engines per core (MXUs) split the tile's columns.
  double TensorCycles(int64_t m, int64_t n, int64_t k, v1::DType dtype) const;
  // Whether `dtype` runs natively on the tensor engine.
  bool TensorNative(v1::DType dtype) const;

  // Vector-engine cycles for applying each op of `ops` to `elements`.
  double VectorCycles(std::initializer_list<std::string_view> ops,
                      int64_t elements) const;
  double ScalarCycles(std::initializer_list<std::string_view> ops,
                      int64_t elements) const;

 private:
  const arch::ChipConfig& chip_;
  std::unique_ptr<arch::SystolicArray> systolic_;
  std::unique_ptr<arch::MmaUnit> mma_;
  arch::VectorCostTable vector_;
  arch::VectorCostTable scalar_;
};

}  // namespace dsasim::workloads
