// File: workloads/lowering/lowering_context.h
//
// What every operator lowering needs: the chip, the engines' cost models, the
// placement of every tensor, and the user's lowering switches. Lowerings are
// pure functions of (operator, context) → LoweredOp, so the same operator
// always lowers to the same program.
#pragma once

#include <string>
#include <unordered_map>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/program.h"
#include "dsasim/v1/graph.pb.h"
#include "workloads/lowering/engine_costs.h"
#include "workloads/lowering/memory_plan.h"

namespace dsasim::workloads {

struct LoweringOptions {
  // Operand buffers per pipeline: 2 overlaps the next tile's DMA with this
  // tile's compute; 1 serializes them (--no-double-buffering).
  bool double_buffering = true;
  // Flash-style attention (scores never leave the scratchpad) or the unfused
  // QKᵀ → softmax → PV sequence through memory.
  bool fused_attention = true;
  // Use DMA transforms (int4/fp4 unpack, scale, reduce-add, gather) when
  // the DMA engines have them; otherwise the work falls on a compute engine
  // (--no-dma-transforms): the vector engine dequantizes and combines split
  // partials, the scalar engine computes gathered rows' addresses.
  bool dma_transforms = true;
};

struct LoweringContext {
  const arch::ChipConfig& chip;
  const EngineCosts& costs;
  const MemoryPlan& memory;
  const std::unordered_map<std::string, const v1::Tensor*>& tensors;
  LoweringOptions options;
  // Seeds what the graph leaves open: where a paged KV cache's pages lie,
  // which rows a gather touches. Same seed, same program.
  uint64_t seed = 1;

  int buffers() const { return options.double_buffering ? 2 : 1; }
  // REQUIRES: the graph has been validated (every name resolves).
  const v1::Tensor& tensor(const std::string& name) const { return *tensors.at(name); }
};

// One lowered operator: the program plus the choices made, for the record.
struct LoweredOp {
  arch::OpProgram program;
  // JSON object with the lowering's choices (tile shape, buffers, engines).
  std::string choices_json;
  // FLOPs of the operator as the graph defines it (no padding).
  double flops = 0;
};

}  // namespace dsasim::workloads
