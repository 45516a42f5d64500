#include "arch_models/compute/vector_cost.h"

#include <cmath>
#include <string>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

struct DefaultCost {
  std::string_view name;
  double cycles_per_vector;
  bool reduction;
};

// The reasons for each number are in the header; these are the defaults a
// preset overrides with VectorEngineSpec.op_costs.
// clang-format off
constexpr DefaultCost kDefaults[] = {
    {"add", 1.0, false},        {"mul", 1.0, false},
    {"fma", 1.0, false},        {"max", 1.0, false},
    {"exp", 4.0, false},        {"rsqrt", 4.0, false},
    {"reciprocal", 4.0, false}, {"silu", 6.0, false},
    {"gelu", 8.0, false},       {"sum", 1.0, true},
    {"max_reduce", 1.0, true},  {"copy", 1.0, false},
    {"convert", 1.0, false},    {"dequant", 2.0, false},
    {"address", 4.0, false},    {"transpose", 2.0, false},
};
// clang-format on

}  // namespace

std::string VectorCostTable::KnownOps() {
  std::string out;
  for (const DefaultCost& d : kDefaults) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out;
}

VectorCostTable::VectorCostTable(
    int lanes, int instruction_overhead_cycles,
    std::vector<std::pair<std::string, double>> cycles_per_vector_overrides)
    : lanes_(lanes), instruction_overhead_cycles_(instruction_overhead_cycles) {
  if (lanes <= 0) {
    throw ConfigError("vector engine: lanes must be > 0, got " + std::to_string(lanes));
  }
  if (instruction_overhead_cycles < 0) {
    throw ConfigError("vector engine: instruction_overhead_cycles must be ≥ 0, got " +
                      std::to_string(instruction_overhead_cycles));
  }
  tree_cycles_ = std::log2(static_cast<double>(lanes));
  for (const DefaultCost& d : kDefaults) {
    ops_.push_back({d.name, d.cycles_per_vector, d.reduction});
  }
  for (const auto& [op, cost] : cycles_per_vector_overrides) {
    // Find() throws for an unknown op, naming the known ones.
    const size_t index = static_cast<size_t>(&Find(op) - ops_.data());
    OpCost& entry = ops_[index];
    if (!(cost > 0) || !std::isfinite(cost)) {
      throw ConfigError("vector engine: op_costs '" + op +
                        "' cycles_per_vector must be > 0, got " + std::to_string(cost));
    }
    entry.cycles_per_vector = cost;
  }
}

const VectorCostTable::OpCost& VectorCostTable::Find(std::string_view op) const {
  for (const OpCost& entry : ops_) {
    if (entry.name == op) return entry;
  }
  throw ConfigError("vector engine: unknown op '" + std::string(op) +
                    "'; known ops: " + KnownOps());
}

double VectorCostTable::CyclesPerVector(std::string_view op) const {
  return Find(op).cycles_per_vector;
}

bool VectorCostTable::IsReduction(std::string_view op) const {
  return Find(op).reduction;
}

double VectorCostTable::Cycles(std::string_view op, int64_t elements) const {
  const OpCost& entry = Find(op);
  double cycles = instruction_overhead_cycles_;
  if (elements <= 0) return cycles;
  const int64_t vectors = (elements + lanes_ - 1) / lanes_;
  cycles += static_cast<double>(vectors) * entry.cycles_per_vector;
  if (entry.reduction) cycles += tree_cycles_;
  return cycles;
}

const ComponentInfo& VectorCostTable::Info() {
  static const ComponentInfo info{
      "vector_engine",
      "dsasim.v1.VectorEngineSpec",
      "SIMD engine for element-wise ops, transcendentals and reductions "
      "(also used for scalar engines).",
      {{"lanes", "elements", "(required)", "elements processed per vector"},
       {"clock", "Hz", "core clock", "engine clock, e.g. \"1.4GHz\""},
       {"op_costs", "cycles/vector", "built-in table",
        "per-op overrides {op, cycles_per_vector}; ops: add, mul, fma, max, exp, "
        "rsqrt, reciprocal, silu, gelu, sum, max_reduce, copy, convert, dequant, "
        "address"},
       {"instruction_overhead_cycles", "cycles", "0",
        "fixed cycles per instruction (issue, pipeline fill)"}},
      {{"instructions", "count", "instructions executed"},
       {"busy_cycles", "cycles", "cycles spent executing"},
       {"elements", "elements", "elements processed"}}};
  return info;
}

}  // namespace dsasim::arch
