#include "workloads/lowering/run_bounds.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "workloads/graph/dtype.h"

namespace dsasim::workloads {
namespace {

constexpr double kBytesPerCore = 12 * 1024;
constexpr double kBytesPerAttentionStep = 16 * 1024;

// Fused attention's steps with its largest blocks: 128 queries, 256 keys.
double MinimumAttentionSteps(const v1::Attention& a) {
  const double heads = std::max(1, a.num_kv_heads());
  double steps = 0;
  for (int i = 0; i < a.q_lens_size() && i < a.kv_lens_size(); ++i) {
    steps += heads * std::ceil(static_cast<double>(a.q_lens(i)) / 128) *
             std::max(1.0, std::ceil(static_cast<double>(a.kv_lens(i)) / 256));
  }
  return steps;
}

}  // namespace

RunBounds MinimumRunBounds(const v1::OperatorGraph& graph, const arch::ChipConfig& chip) {
  std::unordered_map<std::string, double> bytes;
  for (const v1::Tensor& t : graph.tensors()) {
    bytes.emplace(t.name(), static_cast<double>(TensorBytes(t)));
  }
  RunBounds bounds;
  double largest_program = 0;
  for (const v1::Operator& op : graph.ops()) {
    double moved = 0;
    for (const std::string& name : op.inputs()) moved += bytes[name];
    for (const std::string& name : op.outputs()) moved += bytes[name];
    double steps = 1 + moved / chip.scratchpad.capacity_bytes;
    if (op.has_attention()) {
      const double attention = MinimumAttentionSteps(op.attention());
      steps = std::max(steps, attention);
      largest_program = std::max(largest_program, attention * kBytesPerAttentionStep);
    }
    bounds.events += steps;
  }
  bounds.memory_bytes = chip.cores * kBytesPerCore + largest_program;
  return bounds;
}

}  // namespace dsasim::workloads
