#include "workloads/models/model_spec.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dsasim/v1/model.pb.h"
#include "sim/error.h"
#include "workloads/models/shipped_models.h"

namespace dsasim::workloads {
namespace {

[[noreturn]] void Fail(std::string_view origin, const std::string& what) {
  throw ConfigError(std::string(origin) + ": " + what);
}

int64_t Require(std::string_view origin, std::string_view field, int64_t value) {
  if (value <= 0) {
    Fail(origin, "field '" + std::string(field) + "' is missing or not positive (" +
                     std::to_string(value) + ")");
  }
  return value;
}

bool Supported(std::string_view model_type) {
  return std::find(std::begin(kSupportedModelTypes), std::end(kSupportedModelTypes),
                   model_type) != std::end(kSupportedModelTypes);
}

std::string SupportedList() {
  std::string out;
  for (std::string_view t : kSupportedModelTypes) {
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

void FillAttention(const v1::HfConfig& c, std::string_view origin, ModelSpec& s) {
  s.heads = Require(origin, "num_attention_heads", c.num_attention_heads());
  // Hugging Face: a missing num_key_value_heads means MHA.
  s.kv_heads = c.has_num_key_value_heads()
                   ? Require(origin, "num_key_value_heads", c.num_key_value_heads())
                   : s.heads;
  if (s.heads % s.kv_heads != 0) {
    Fail(origin, "num_attention_heads " + std::to_string(s.heads) +
                     " is not a multiple of num_key_value_heads " +
                     std::to_string(s.kv_heads));
  }
  s.head_dim =
      c.has_head_dim() ? Require(origin, "head_dim", c.head_dim()) : s.hidden / s.heads;
}

void FillMoe(const v1::HfConfig& c, std::string_view origin, ModelSpec& s) {
  s.experts_per_token = Require(origin, "num_experts_per_tok", c.num_experts_per_tok());
  if (s.family == ModelFamily::kMoe) {
    // Mixtral: every layer routed; experts are as wide as the dense FFN.
    s.experts = Require(origin, "num_local_experts", c.num_local_experts());
    s.moe_intermediate = s.intermediate;
  } else {
    s.experts = Require(origin, "n_routed_experts", c.n_routed_experts());
    s.moe_intermediate =
        Require(origin, "moe_intermediate_size", c.moe_intermediate_size());
    s.shared_experts = c.n_shared_experts();
    s.first_k_dense = c.first_k_dense_replace();
    s.moe_layer_freq = c.moe_layer_freq() > 0 ? c.moe_layer_freq() : 1;
  }
  if (s.experts_per_token > s.experts) {
    Fail(origin, "num_experts_per_tok " + std::to_string(s.experts_per_token) +
                     " exceeds the number of experts " + std::to_string(s.experts));
  }
}

void FillMla(const v1::HfConfig& c, std::string_view origin, ModelSpec& s) {
  s.q_lora_rank = c.q_lora_rank();  // 0 is legal (DeepSeek-V2-Lite)
  s.kv_lora_rank = Require(origin, "kv_lora_rank", c.kv_lora_rank());
  s.qk_rope_head_dim = Require(origin, "qk_rope_head_dim", c.qk_rope_head_dim());
  s.qk_nope_head_dim = Require(origin, "qk_nope_head_dim", c.qk_nope_head_dim());
  s.v_head_dim = Require(origin, "v_head_dim", c.v_head_dim());
  s.mtp_layers = c.num_nextn_predict_layers();
  // MLA has no separate KV heads: every head reads the shared latent.
  s.head_dim = s.qk_nope_head_dim + s.qk_rope_head_dim;
  s.kv_heads = s.heads;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string() + ": cannot open model config");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool ModelSpec::IsMoeLayer(int64_t layer) const {
  if (family == ModelFamily::kDense) return false;
  if (layer < first_k_dense) return false;
  return layer % moe_layer_freq == 0;
}

int64_t ModelSpec::SlidingWindowForLayer(int64_t layer) const {
  if (sliding_window == 0) return 0;
  if (alternate_local_global) return layer % 2 == 0 ? sliding_window : 0;
  return sliding_window;
}

int64_t ModelSpec::QkHeadDim() const {
  return IsMla() ? qk_nope_head_dim + qk_rope_head_dim : head_dim;
}

int64_t ModelSpec::VHeadDim() const { return IsMla() ? v_head_dim : head_dim; }

int64_t ModelSpec::KvCacheElementsPerTokenPerLayer() const {
  return IsMla() ? kv_lora_rank + qk_rope_head_dim : 2 * kv_heads * head_dim;
}

ModelSpec ParseModelSpec(std::string_view json, std::string_view origin) {
  v1::HfConfig c;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &c, options);
  if (!status.ok())
    Fail(origin, "not a valid config.json: " + std::string(status.message()));

  ModelSpec s;
  s.id = std::string(origin);
  s.model_type = c.model_type();
  if (s.model_type.empty()) Fail(origin, "field 'model_type' is missing");
  if (!Supported(s.model_type)) {
    Fail(origin, "model_type '" + s.model_type +
                     "' is not supported (supported: " + SupportedList() + ")");
  }
  if (s.model_type == "mixtral") s.family = ModelFamily::kMoe;
  if (s.model_type == "deepseek_v3") s.family = ModelFamily::kMlaMoe;

  s.hidden = Require(origin, "hidden_size", c.hidden_size());
  s.intermediate = Require(origin, "intermediate_size", c.intermediate_size());
  s.layers = Require(origin, "num_hidden_layers", c.num_hidden_layers());
  s.vocab = Require(origin, "vocab_size", c.vocab_size());
  s.max_position_embeddings = c.max_position_embeddings();
  FillAttention(c, origin, s);
  if (s.family != ModelFamily::kDense) FillMoe(c, origin, s);
  if (s.IsMla()) FillMla(c, origin, s);

  s.rope_theta = c.rope_theta() > 0 ? c.rope_theta() : 10000.0;
  if (c.has_rope_scaling()) {
    const v1::RopeScaling& r = c.rope_scaling();
    s.rope_scaling.type = !r.rope_type().empty() ? r.rope_type() : r.type();
    s.rope_scaling.factor = r.factor() > 0 ? r.factor() : 1.0;
    s.rope_scaling.original_max_position_embeddings =
        r.original_max_position_embeddings();
  }
  s.norm_eps = c.rms_norm_eps() > 0 ? c.rms_norm_eps() : 1e-6;
  s.attention_bias = c.attention_bias();

  const bool gemma = s.model_type == "gemma2";
  s.tied_embeddings = c.has_tie_word_embeddings() ? c.tie_word_embeddings() : gemma;
  const std::string& act =
      !c.hidden_activation().empty() ? c.hidden_activation() : c.hidden_act();
  if (act.rfind("gelu", 0) == 0) {
    s.activation = FfnActivation::kGeGlu;
  } else if (act.empty() || act == "silu" || act == "swish") {
    s.activation = FfnActivation::kSwiGlu;
  } else {
    Fail(origin, "field 'hidden_act' value '" + act +
                     "' is not supported (silu or gelu variants)");
  }

  if (s.model_type == "qwen2") {
    // Qwen2 hard-codes bias on q/k/v in its modeling code.
    s.attention_bias = true;
    if (c.use_sliding_window() && c.has_sliding_window())
      s.sliding_window = c.sliding_window();
  }
  if (s.model_type == "mistral" || s.model_type == "mixtral") {
    if (c.has_sliding_window()) s.sliding_window = c.sliding_window();
  }
  if (gemma) {
    s.norm_placement = NormPlacement::kPreAndPost;
    s.alternate_local_global = true;
    s.sliding_window = Require(origin, "sliding_window",
                               c.has_sliding_window() ? c.sliding_window() : 0);
  }
  if (s.model_type == "olmo2") {
    s.norm_placement = NormPlacement::kPost;
    s.qk_norm = true;
  }
  return s;
}

std::vector<std::string> ShippedModelIds() {
  std::vector<std::string> ids;
  for (const EmbeddedFile& f : EmbeddedModelConfigs()) ids.emplace_back(f.name);
  std::sort(ids.begin(), ids.end());
  return ids;
}

ModelSpec LoadModelSpec(std::string_view id_or_path) {
  for (const EmbeddedFile& f : EmbeddedModelConfigs()) {
    if (f.name == id_or_path) {
      ModelSpec spec = ParseModelSpec(
          f.text, "workloads/models/" + std::string(f.name) + "/config.json");
      spec.id = std::string(f.name);
      return spec;
    }
  }
  std::filesystem::path path(id_or_path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) path /= "config.json";
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::string known;
    for (const std::string& id : ShippedModelIds())
      known += (known.empty() ? "" : ", ") + id;
    throw ConfigError("unknown model '" + std::string(id_or_path) +
                      "': neither a shipped model id (" + known +
                      ") nor a config.json file");
  }
  return ParseModelSpec(ReadFile(path), path.string());
}

}  // namespace dsasim::workloads
