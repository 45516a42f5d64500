// File: workloads/models/model_spec.h
//
// The architecture of a decoder-only transformer, as the graph builders need
// it: sizes, attention kind (MHA/GQA/MQA/MLA), FFN kind (dense or MoE),
// norms, activation and per-layer attention windows. Read from a Hugging Face
// `config.json` (one of the shipped ones, compiled into the binary, or any
// file on disk).
//
// Example:
//   ModelSpec spec = LoadModelSpec("llama3-8b");          // shipped id
//   ModelSpec mine = LoadModelSpec("/tmp/my/config.json");  // a path
//   int64_t kv = spec.kv_heads * spec.head_dim;
//
// Contract:
//   - LoadModelSpec throws ConfigError naming the file and the field when a
//     field the model's family needs is missing or out of range, when
//     `model_type` is not one of kSupportedModelTypes, and (listing the known
//     ids) when `id_or_path` is neither a shipped id nor an existing file.
//   - Defaults that Hugging Face applies in code rather than in config.json
//     (Qwen2's q/k/v bias, Gemma-2's tied embeddings, head_dim =
//     hidden / heads, rope_theta = 10000) are applied here, per model_type.
//   - The multi-token-prediction layers of DeepSeek-V3
//     (num_nextn_predict_layers) are recorded but never built: they are a
//     training aid and an optional speculative-decoding head.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dsasim::workloads {

enum class ModelFamily {
  kDense,   // Llama, Qwen2, Gemma-2, OLMo-2
  kMoe,     // Mixtral: every layer's FFN is a routed MoE
  kMlaMoe,  // DeepSeek-V3: MLA attention, shared + routed experts
};

enum class ModelNormKind { kRms, kLayer };

// Where each block's norm sits relative to the residual add.
enum class NormPlacement {
  kPre,         // Llama: x + f(norm(x))
  kPost,        // OLMo-2: x + norm(f(x))
  kPreAndPost,  // Gemma-2: x + norm(f(norm(x)))
};

enum class FfnActivation {
  kSwiGlu,  // silu(gate) * up
  kGeGlu,   // gelu(gate) * up (Gemma's gelu_pytorch_tanh)
};

struct RopeScalingSpec {
  std::string type;  // "", "llama3", "yarn", "linear", "dynamic"
  double factor = 1.0;
  int64_t original_max_position_embeddings = 0;
};

struct ModelSpec {
  // Shipped id ("llama3-8b") or the config path it was read from.
  std::string id;
  std::string model_type;  // config.json's model_type ("llama", ...)
  ModelFamily family = ModelFamily::kDense;

  int64_t hidden = 0;
  // Dense FFN width (also DeepSeek's first_k_dense layers).
  int64_t intermediate = 0;
  int64_t layers = 0;
  int64_t heads = 0;
  int64_t kv_heads = 0;
  int64_t head_dim = 0;
  int64_t vocab = 0;
  int64_t max_position_embeddings = 0;

  double rope_theta = 10000.0;
  RopeScalingSpec rope_scaling;
  bool tied_embeddings = false;
  ModelNormKind norm = ModelNormKind::kRms;
  NormPlacement norm_placement = NormPlacement::kPre;
  double norm_eps = 1e-5;
  // RMSNorm on q and k after projection (OLMo-2).
  bool qk_norm = false;
  FfnActivation activation = FfnActivation::kSwiGlu;
  // Bias on the q/k/v projections (Qwen2).
  bool attention_bias = false;

  // Sliding-window attention: window in tokens (0 = none). When
  // `alternate_local_global` is set, even layers are local (windowed) and
  // odd layers global (Gemma-2); otherwise every layer uses the window
  // (Mistral; Qwen2 with use_sliding_window).
  int64_t sliding_window = 0;
  bool alternate_local_global = false;

  // MoE (kMoe, kMlaMoe).
  int64_t experts = 0;
  int64_t experts_per_token = 0;
  int64_t moe_intermediate = 0;  // per expert
  int64_t shared_experts = 0;    // each moe_intermediate wide
  int64_t first_k_dense = 0;     // leading layers with a dense FFN
  int64_t moe_layer_freq = 1;

  // MLA (kMlaMoe).
  int64_t q_lora_rank = 0;  // 0: q is projected directly
  int64_t kv_lora_rank = 0;
  int64_t qk_rope_head_dim = 0;
  int64_t qk_nope_head_dim = 0;
  int64_t v_head_dim = 0;

  // DeepSeek-V3 multi-token-prediction layers; never built (see above).
  int64_t mtp_layers = 0;

  bool IsMla() const { return family == ModelFamily::kMlaMoe; }
  // Whether layer `layer` (0-based) has a routed-MoE FFN.
  bool IsMoeLayer(int64_t layer) const;
  // Attention window of `layer` in tokens; 0 = global.
  int64_t SlidingWindowForLayer(int64_t layer) const;
  // Query/key head dim: head_dim, or nope + rope for MLA.
  int64_t QkHeadDim() const;
  // Value head dim: head_dim, or v_head_dim for MLA.
  int64_t VHeadDim() const;
  // KV-cache elements stored per token per layer: 2·kv_heads·head_dim, or
  // kv_lora_rank + qk_rope_head_dim for MLA (one latent vector).
  int64_t KvCacheElementsPerTokenPerLayer() const;
};

// model_type values LoadModelSpec understands.
inline constexpr std::string_view kSupportedModelTypes[] = {
    "llama", "mistral", "mixtral", "qwen2", "gemma2", "olmo2", "deepseek_v3"};

// A shipped id (see ShippedModelIds) or the path of a config.json.
ModelSpec LoadModelSpec(std::string_view id_or_path);

// Parses config.json text; `origin` names it in errors.
ModelSpec ParseModelSpec(std::string_view json, std::string_view origin);

// Ids of the configs compiled into the binary, sorted.
std::vector<std::string> ShippedModelIds();

}  // namespace dsasim::workloads
