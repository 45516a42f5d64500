#include "workloads/models/model_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/error.h"

namespace dsasim::workloads {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& id_or_path) {
  try {
    LoadModelSpec(id_or_path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::filesystem::path WriteConfig(const std::string& name, const std::string& json) {
  auto dir = std::filesystem::temp_directory_path() / "dsasim_model_spec_test";
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path) << json;
  return path;
}

TEST(ShippedModels, AllTenDesignModelsShipInTheBinary) {
  EXPECT_THAT(
      ShippedModelIds(),
      ::testing::ElementsAre("deepseek-v3", "gemma2-9b", "llama2-70b", "llama2-7b",
                             "llama3-70b", "llama3-8b", "llama3.1-405b", "mixtral-8x7b",
                             "olmo2-7b", "qwen2.5-7b"));
  for (const std::string& id : ShippedModelIds()) {
    EXPECT_EQ(LoadModelSpec(id).id, id);
  }
}

TEST(LoadModelSpec, Llama3_8bHasTheSizesOfItsConfig) {
  ModelSpec s = LoadModelSpec("llama3-8b");
  EXPECT_EQ(s.family, ModelFamily::kDense);
  EXPECT_EQ(s.hidden, 4096);
  EXPECT_EQ(s.intermediate, 14336);
  EXPECT_EQ(s.layers, 32);
  EXPECT_EQ(s.heads, 32);
  EXPECT_EQ(s.kv_heads, 8);
  EXPECT_EQ(s.head_dim, 128);
  EXPECT_EQ(s.vocab, 128256);
  EXPECT_EQ(s.rope_theta, 500000.0);
  EXPECT_FALSE(s.tied_embeddings);
  EXPECT_EQ(s.activation, FfnActivation::kSwiGlu);
}

TEST(LoadModelSpec, Llama31_405bKeepsItsLlama3RopeScaling) {
  ModelSpec s = LoadModelSpec("llama3.1-405b");
  EXPECT_EQ(s.rope_scaling.type, "llama3");
  EXPECT_EQ(s.rope_scaling.factor, 8.0);
  EXPECT_EQ(s.rope_scaling.original_max_position_embeddings, 8192);
}

TEST(LoadModelSpec, Gemma2TiesEmbeddingsAlternatesWindowsAndUsesGeglu) {
  ModelSpec s = LoadModelSpec("gemma2-9b");
  EXPECT_TRUE(s.tied_embeddings);  // HF default for gemma2, absent from the file
  EXPECT_EQ(s.head_dim, 256);
  EXPECT_EQ(s.activation, FfnActivation::kGeGlu);
  EXPECT_EQ(s.norm_placement, NormPlacement::kPreAndPost);
  EXPECT_EQ(s.SlidingWindowForLayer(0), 4096);
  EXPECT_EQ(s.SlidingWindowForLayer(1), 0);
}

TEST(LoadModelSpec, Qwen2HasQkvBiasAndNoWindowWhenUseSlidingWindowIsOff) {
  ModelSpec s = LoadModelSpec("qwen2.5-7b");
  EXPECT_TRUE(s.attention_bias);
  EXPECT_EQ(s.SlidingWindowForLayer(3), 0);
  EXPECT_EQ(s.kv_heads, 4);
}

TEST(LoadModelSpec, Olmo2NormalizesAfterEachBlockAndNormalizesQk) {
  ModelSpec s = LoadModelSpec("olmo2-7b");
  EXPECT_EQ(s.norm_placement, NormPlacement::kPost);
  EXPECT_TRUE(s.qk_norm);
}

TEST(LoadModelSpec, MixtralRoutesEveryLayerOverEightExperts) {
  ModelSpec s = LoadModelSpec("mixtral-8x7b");
  EXPECT_EQ(s.family, ModelFamily::kMoe);
  EXPECT_EQ(s.experts, 8);
  EXPECT_EQ(s.experts_per_token, 2);
  EXPECT_EQ(s.moe_intermediate, 14336);
  EXPECT_TRUE(s.IsMoeLayer(0));
  EXPECT_EQ(s.sliding_window, 0);  // "sliding_window": null
}

TEST(LoadModelSpec, DeepSeekV3HasMlaSharedExpertsAndThreeDenseLayers) {
  ModelSpec s = LoadModelSpec("deepseek-v3");
  EXPECT_EQ(s.family, ModelFamily::kMlaMoe);
  EXPECT_EQ(s.q_lora_rank, 1536);
  EXPECT_EQ(s.kv_lora_rank, 512);
  EXPECT_EQ(s.qk_rope_head_dim, 64);
  EXPECT_EQ(s.qk_nope_head_dim, 128);
  EXPECT_EQ(s.v_head_dim, 128);
  EXPECT_EQ(s.experts, 256);
  EXPECT_EQ(s.experts_per_token, 8);
  EXPECT_EQ(s.shared_experts, 1);
  EXPECT_EQ(s.mtp_layers, 1);
  EXPECT_FALSE(s.IsMoeLayer(2));
  EXPECT_TRUE(s.IsMoeLayer(3));
  EXPECT_EQ(s.KvCacheElementsPerTokenPerLayer(), 576);
}

TEST(LoadModelSpec, ReadsAConfigJsonFromAPath) {
  auto path = WriteConfig("tiny.json", R"({"model_type": "llama", "hidden_size": 64,
      "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
      "vocab_size": 100, "some_unknown_key": [1, 2]})");
  ModelSpec s = LoadModelSpec(path.string());
  EXPECT_EQ(s.hidden, 64);
  EXPECT_EQ(s.kv_heads, 4);  // absent num_key_value_heads means MHA
  EXPECT_EQ(s.head_dim, 16);
}

TEST(LoadModelSpec, AConfigMissingHiddenSizeIsAnErrorNamingFileAndField) {
  auto path = WriteConfig("no_hidden.json", R"({"model_type": "llama",
      "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
      "vocab_size": 100})");
  std::string error = ErrorOf(path.string());
  EXPECT_THAT(error, HasSubstr("no_hidden.json"));
  EXPECT_THAT(error, HasSubstr("hidden_size"));
}

TEST(LoadModelSpec, AnUnsupportedModelTypeIsAnErrorListingTheSupportedOnes) {
  auto path = WriteConfig("bert.json", R"({"model_type": "bert", "hidden_size": 64})");
  std::string error = ErrorOf(path.string());
  EXPECT_THAT(error, HasSubstr("'bert'"));
  EXPECT_THAT(error, HasSubstr("deepseek_v3"));
}

TEST(LoadModelSpec, AnUnknownModelIdIsAnErrorListingTheKnownIds) {
  std::string error = ErrorOf("llama9-1t");
  EXPECT_THAT(error, HasSubstr("llama9-1t"));
  EXPECT_THAT(error, HasSubstr("llama3-8b"));
  EXPECT_THAT(error, HasSubstr("deepseek-v3"));
}

TEST(LoadModelSpec, MalformedJsonIsAnErrorNamingTheFile) {
  auto path = WriteConfig("broken.json", "{\"model_type\": ");
  EXPECT_THAT(ErrorOf(path.string()), HasSubstr("broken.json"));
}

}  // namespace
}  // namespace dsasim::workloads
