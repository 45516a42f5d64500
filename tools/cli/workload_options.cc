#include "tools/cli/workload_options.h"

#include <cstdint>
#include <string>
#include <utility>

namespace dsasim::cli {
namespace {

using workloads::BuildOptions;

[[noreturn]] void Bad(std::string_view flag, std::string_view value,
                      std::string_view expected) {
  throw po::error("--" + std::string(flag) + " '" + std::string(value) + "' " +
                  std::string(expected));
}

int64_t NonNegative(const po::variables_map& vm, const char* flag) {
  int64_t v = vm[flag].as<int64_t>();
  if (v < 0) Bad(flag, std::to_string(v), "must be >= 0");
  return v;
}

int Positive(const po::variables_map& vm, const char* flag) {
  int v = vm[flag].as<int>();
  if (v < 1) Bad(flag, std::to_string(v), "must be >= 1");
  return v;
}

void ParseRouting(const std::string& spec, BuildOptions& out) {
  if (spec == "uniform") {
    out.routing = workloads::RoutingModel::kUniform;
    return;
  }
  if (spec.rfind("zipf:", 0) == 0) {
    std::string s = spec.substr(5);
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != s.size() || !(value > 0)) {
      Bad("routing", spec, "needs a positive Zipf exponent, e.g. zipf:1.2");
    }
    out.routing = workloads::RoutingModel::kZipf;
    out.zipf_s = value;
    return;
  }
  if (spec.rfind("histogram:", 0) == 0 && spec.size() > 10) {
    out.routing = workloads::RoutingModel::kHistogram;
    out.routing_histogram_path = spec.substr(10);
    return;
  }
  Bad("routing", spec, "is not one of uniform, zipf:S, histogram:PATH");
}

// The workload flags, one description: AddWorkloadOptions declares them and
// GivenWorkloadFlags lists the ones a command line set.
po::options_description WorkloadOptions() {
  po::options_description w("workload");
  // One option per line reads as the table it is.
  // clang-format off
  w.add_options()
      ("model", po::value<std::string>(),
       "shipped model id (e.g. llama3-8b) or a Hugging Face config.json path")
      ("phase", po::value<std::string>()->default_value("decode"),
       "prefill, decode, mixed or verify")
      ("batch", po::value<int64_t>()->default_value(1),
       "sequences (prefill/decode/verify) or prefill chunks (mixed)")
      ("seq", po::value<int64_t>()->default_value(0),
       "new tokens per sequence (prefill) or chunk length (mixed)")
      ("context", po::value<int64_t>()->default_value(0),
       "tokens already in the KV cache per sequence")
      ("decode-batch", po::value<int64_t>()->default_value(0),
       "mixed: decode sequences besides the prefill chunks")
      ("draft-tokens", po::value<int64_t>()->default_value(0),
       "verify: draft tokens per sequence")
      ("weight-dtype", po::value<std::string>()->default_value("bf16"),
       "bf16, fp16, fp32, fp8, fp8_e5m2, int8, int4 or fp4")
      ("act-dtype", po::value<std::string>()->default_value("bf16"),
       "activation dtype (same names)")
      ("kv-dtype", po::value<std::string>()->default_value("bf16"),
       "KV-cache dtype (same names)")
      ("tp", po::value<int>()->default_value(1), "tensor-parallel degree")
      ("pp", po::value<int>()->default_value(1), "pipeline-parallel degree")
      ("ep", po::value<int>()->default_value(1), "expert-parallel degree")
      ("dp", po::value<int>()->default_value(1),
       "data-parallel degree: independent replicas, each on batch/dp sequences")
      ("microbatches", po::value<int>()->default_value(1),
       "pipeline microbatches per replica (GPipe); must divide its sequences")
      ("tp-style", po::value<std::string>()->default_value("allreduce"),
       "allreduce, or rs-ag (reduce-scatter + all-gather)")
      ("layers", po::value<int64_t>()->default_value(0),
       "emit only the first N transformer layers (0 = all)")
      ("routing", po::value<std::string>()->default_value("uniform"),
       "MoE expert popularity: uniform, zipf:S or histogram:PATH")
      ("kv-page-size", po::value<int32_t>()->default_value(0),
       "paged KV cache page size in tokens (0 = contiguous)")
      ("no-mla-absorb", "MLA decode: decompress the latent cache instead of "
                        "absorbing W_UK/W_UV");
  // clang-format on
  return w;
}

}  // namespace

void AddWorkloadOptions(po::options_description& opts) { opts.add(WorkloadOptions()); }

std::vector<std::string> GivenWorkloadFlags(const po::variables_map& vm) {
  std::vector<std::string> given;
  const po::options_description workload = WorkloadOptions();
  for (const auto& option : workload.options()) {
    const std::string& name = option->long_name();
    // A default value is not the user's choice; only typed flags count.
    if (vm.count(name) && !vm[name].defaulted()) given.push_back("--" + name);
  }
  return given;
}

v1::DType ParseDTypeName(std::string_view name, std::string_view flag) {
  static const std::pair<std::string_view, v1::DType> kNames[] = {
      {"bf16", v1::DTYPE_BF16},         {"fp16", v1::DTYPE_FP16},
      {"fp32", v1::DTYPE_FP32},         {"fp8", v1::DTYPE_FP8_E4M3},
      {"fp8_e4m3", v1::DTYPE_FP8_E4M3}, {"fp8_e5m2", v1::DTYPE_FP8_E5M2},
      {"int8", v1::DTYPE_INT8},         {"int4", v1::DTYPE_INT4},
      {"fp4", v1::DTYPE_FP4_E2M1},      {"fp4_e2m1", v1::DTYPE_FP4_E2M1},
  };
  for (const auto& [n, dtype] : kNames) {
    if (n == name) return dtype;
  }
  Bad(flag, name, "is not a dtype (bf16, fp16, fp32, fp8, fp8_e5m2, int8, int4, fp4)");
}

v1::Phase ParsePhaseName(std::string_view name) {
  if (name == "prefill") return v1::PHASE_PREFILL;
  if (name == "decode") return v1::PHASE_DECODE;
  if (name == "mixed") return v1::PHASE_MIXED;
  if (name == "verify") return v1::PHASE_VERIFY;
  Bad("phase", name, "is not one of prefill, decode, mixed, verify");
}

BuildOptions ParseWorkloadOptions(const po::variables_map& vm) {
  BuildOptions out;
  out.phase = ParsePhaseName(vm["phase"].as<std::string>());
  out.batch = NonNegative(vm, "batch");
  if (out.batch < 1) Bad("batch", "0", "must be >= 1");
  out.seq_len = NonNegative(vm, "seq");
  out.context_len = NonNegative(vm, "context");
  out.decode_batch = NonNegative(vm, "decode-batch");
  out.draft_tokens = NonNegative(vm, "draft-tokens");
  out.weight_dtype = ParseDTypeName(vm["weight-dtype"].as<std::string>(), "weight-dtype");
  out.activation_dtype = ParseDTypeName(vm["act-dtype"].as<std::string>(), "act-dtype");
  out.kv_dtype = ParseDTypeName(vm["kv-dtype"].as<std::string>(), "kv-dtype");
  out.tensor_parallel = Positive(vm, "tp");
  out.pipeline_parallel = Positive(vm, "pp");
  out.expert_parallel = Positive(vm, "ep");
  out.data_parallel = Positive(vm, "dp");
  out.microbatches = Positive(vm, "microbatches");
  const std::string& style = vm["tp-style"].as<std::string>();
  if (style == "allreduce") {
    out.tp_style = workloads::TpCollectiveStyle::kAllReduce;
  } else if (style == "rs-ag") {
    out.tp_style = workloads::TpCollectiveStyle::kReduceScatterAllGather;
  } else {
    Bad("tp-style", style, "is not one of allreduce, rs-ag");
  }
  out.layers = NonNegative(vm, "layers");
  ParseRouting(vm["routing"].as<std::string>(), out);
  int32_t page = vm["kv-page-size"].as<int32_t>();
  if (page < 0) Bad("kv-page-size", std::to_string(page), "must be >= 0");
  out.kv_page_size = page;
  out.mla_absorbed = vm.count("no-mla-absorb") == 0;
  return out;
}

}  // namespace dsasim::cli
