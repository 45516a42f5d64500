#include "workloads/builders/parallelism.h"

#include "sim/error.h"

namespace dsasim::workloads {
namespace {

void RequirePositive(int value, const char* option) {
  if (value < 1) {
    throw ConfigError(std::string("option ") + option + " = " + std::to_string(value) +
                      " must be >= 1");
  }
}

}  // namespace

std::vector<int> ParallelPlan::TpGroup(int stage, int ep_rank, int replica) const {
  std::vector<int> group;
  for (int t = 0; t < tp; ++t) group.push_back(Device(stage, ep_rank, t, replica));
  return group;
}

std::vector<int> ParallelPlan::EpGroup(int stage, int tp_rank, int replica) const {
  std::vector<int> group;
  for (int e = 0; e < ep; ++e) group.push_back(Device(stage, e, tp_rank, replica));
  return group;
}

int ParallelPlan::StageOfLayer(int64_t layer) const {
  // Stage s holds layers [s·L/pp, (s+1)·L/pp): sizes differ by at most one.
  return static_cast<int>((layer * pp) / layers);
}

std::string ParallelPlan::Suffix(int device) const {
  return Devices() == 1 ? "" : ".d" + std::to_string(device);
}

std::string ParallelPlan::MicrobatchSuffix(int microbatch) const {
  return microbatches == 1 ? "" : ".mb" + std::to_string(microbatch);
}

int64_t DivideOrThrow(int64_t value, int64_t parts, const std::string& what,
                      const std::string& option) {
  if (parts <= 0 || value % parts != 0) {
    throw ConfigError("option " + option + " = " + std::to_string(parts) +
                      " does not divide " + what + " (" + std::to_string(value) + ")");
  }
  return value / parts;
}

ParallelPlan MakeParallelPlan(const ModelSpec& spec, const BuildOptions& o) {
  RequirePositive(o.tensor_parallel, "tensor_parallel");
  RequirePositive(o.pipeline_parallel, "pipeline_parallel");
  RequirePositive(o.expert_parallel, "expert_parallel");
  RequirePositive(o.data_parallel, "data_parallel");
  RequirePositive(o.microbatches, "microbatches");
  if (o.layers < 0) {
    throw ConfigError("option layers = " + std::to_string(o.layers) + " must be >= 0");
  }
  ParallelPlan p;
  p.tp = o.tensor_parallel;
  p.pp = o.pipeline_parallel;
  p.ep = o.expert_parallel;
  p.dp = o.data_parallel;
  p.microbatches = o.microbatches;
  p.layers = o.layers > 0 && o.layers < spec.layers ? o.layers : spec.layers;
  if (p.pp > p.layers) {
    throw ConfigError("option pipeline_parallel = " + std::to_string(p.pp) +
                      " exceeds the " + std::to_string(p.layers) + " layers built");
  }
  const std::string tp_opt = "tensor_parallel";
  p.local_heads = DivideOrThrow(spec.heads, p.tp, "num_attention_heads", tp_opt);
  if (spec.IsMla()) {
    p.local_kv_heads = p.local_heads;
  } else if (spec.kv_heads >= p.tp) {
    p.local_kv_heads = DivideOrThrow(spec.kv_heads, p.tp, "num_key_value_heads", tp_opt);
  } else {
    DivideOrThrow(p.tp, spec.kv_heads,
                  "a multiple of num_key_value_heads " + std::to_string(spec.kv_heads) +
                      " to replicate KV heads",
                  tp_opt);
    p.local_kv_heads = 1;
  }
  DivideOrThrow(spec.intermediate, p.tp, "intermediate_size", tp_opt);
  if (spec.family != ModelFamily::kDense) {
    DivideOrThrow(spec.moe_intermediate, p.tp, "the expert intermediate size", tp_opt);
    DivideOrThrow(spec.experts, p.ep, "the number of experts", "expert_parallel");
  } else if (p.ep > 1) {
    throw ConfigError("option expert_parallel = " + std::to_string(p.ep) +
                      " needs an MoE "
                      "model; " +
                      spec.id + " is dense");
  }
  return p;
}

}  // namespace dsasim::workloads
