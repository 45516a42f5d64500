// A fuzzed config.json and build options: the graph builders' whole path
// (config parsing, dense/MoE/MLA blocks, batch layouts, paging, routing)
// on models shrunk to a few hundred units wide.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <string>

#include "dsasim/v1/model.pb.h"
#include "tests/fuzz/fuzz_generators.h"

namespace dsasim::testing {

std::string FuzzModelConfig(FuzzReader& in) {
  static const char* const kTypes[] = {"llama",  "mixtral", "deepseek_v3", "qwen2",
                                       "gemma2", "olmo2",   "mistral"};
  v1::HfConfig c;
  c.set_model_type(in.Pick(kTypes));
  c.add_architectures("FuzzForCausalLM");
  c.set_hidden_size(in.Pick({64, 16, 32, 128, 256, 48}));
  c.set_intermediate_size(in.Pick({128, 16, 48, 256, 100}));
  c.set_num_hidden_layers(in.Range(1, 3));
  const int64_t heads = in.Pick({4, 1, 2, 8});
  c.set_num_attention_heads(heads);
  // Mostly a divisor of the heads; now and then not (a config error).
  if (in.Bool()) {
    c.set_num_key_value_heads(
        in.OneIn(16) ? 3 : std::max<int64_t>(1, heads >> in.Range(0, 2)));
  }
  if (in.Bool()) c.set_head_dim(in.Pick({16, 8, 32, 64}));
  c.set_vocab_size(in.Pick({256, 1, 100, 1024}));
  c.set_max_position_embeddings(4096);
  c.set_hidden_act(in.Bool() ? "silu" : "gelu_pytorch_tanh");
  if (in.Bool()) c.set_tie_word_embeddings(in.Bool());
  // Gemma-2 needs a window; the others may have one.
  if (c.model_type() == "gemma2" || in.OneIn(4)) {
    c.set_sliding_window(in.Pick({16, 1, 4, 64}));
  }
  c.set_use_sliding_window(in.Bool());
  if (in.OneIn(4)) {
    c.mutable_rope_scaling()->set_rope_type(in.Bool() ? "llama3" : "yarn");
    c.mutable_rope_scaling()->set_factor(8);
  }

  const int64_t experts = in.Range(1, 8);
  const int64_t top_k = in.OneIn(16) ? experts + 1 : in.Range(1, experts);
  c.set_num_experts_per_tok(top_k);
  if (c.model_type() == "mixtral") c.set_num_local_experts(experts);
  if (c.model_type() == "deepseek_v3") {
    c.set_n_routed_experts(experts);
    c.set_moe_intermediate_size(in.Pick({32, 16, 64}));
    c.set_n_shared_experts(in.Range(0, 2));
    c.set_first_k_dense_replace(in.Range(0, 1));
    c.set_moe_layer_freq(in.Range(1, 2));
    c.set_q_lora_rank(in.Pick({0, 16, 32}));
    c.set_kv_lora_rank(in.Pick({32, 16, 64}));
    c.set_qk_rope_head_dim(in.Pick({16, 8}));
    c.set_qk_nope_head_dim(in.Pick({32, 16, 8}));
    c.set_v_head_dim(in.Pick({32, 16}));
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(c, &json, options);
  return json;
}

workloads::BuildOptions FuzzBuildOptions(FuzzReader& in) {
  static constexpr v1::Phase kPhases[] = {v1::PHASE_DECODE, v1::PHASE_PREFILL,
                                          v1::PHASE_MIXED, v1::PHASE_VERIFY};
  static constexpr v1::DType kWeights[] = {v1::DTYPE_BF16, v1::DTYPE_INT4,
                                           v1::DTYPE_FP8_E4M3, v1::DTYPE_INT8,
                                           v1::DTYPE_FP4_E2M1};
  static constexpr v1::DType kActivations[] = {v1::DTYPE_BF16, v1::DTYPE_FP16,
                                               v1::DTYPE_FP8_E4M3};
  static constexpr v1::DType kCaches[] = {v1::DTYPE_BF16, v1::DTYPE_FP8_E4M3,
                                          v1::DTYPE_INT8};
  workloads::BuildOptions o;
  o.phase = in.Pick(kPhases);
  o.batch = in.Range(1, 4);
  o.seq_len = in.Range(o.phase == v1::PHASE_DECODE ? 0 : 1, 32);
  o.context_len = in.Range(o.phase == v1::PHASE_PREFILL ? 0 : 1, 128);
  if (o.phase == v1::PHASE_MIXED) o.decode_batch = in.Range(0, 3);
  if (o.phase == v1::PHASE_VERIFY) o.draft_tokens = in.Range(1, 4);
  o.weight_dtype = in.Pick(kWeights);
  o.activation_dtype = in.Pick(kActivations);
  o.kv_dtype = in.Pick(kCaches);
  o.weight_group_size = in.Pick({128, 32, 64, 7});
  o.mla_absorbed = in.Bool();
  o.kv_page_size = in.Pick({0, 16, 1, 64});
  if (in.Bool()) {
    o.routing = workloads::RoutingModel::kZipf;
    o.zipf_s = 1.2;
  }
  o.capacity_factor = in.Pick({0.0, 1.0, 1.25});
  o.seed = static_cast<uint64_t>(in.Range(1, 4));
  // Tensor parallelism makes a multi-device graph, which `run` maps to an
  // error; rarely, so that path stays covered without costing many cases.
  if (in.OneIn(16)) o.tensor_parallel = 2;
  return o;
}

}  // namespace dsasim::testing
