#include "workloads/builders/graph_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>

#include "sim/error.h"
#include "workloads/graph/graph_validator.h"

namespace dsasim::workloads {
namespace {

using ::testing::HasSubstr;

BuildOptions Decode(int64_t batch, int64_t context) {
  BuildOptions o;
  o.phase = v1::PHASE_DECODE;
  o.batch = batch;
  o.context_len = context;
  return o;
}

// Kahn's algorithm over dataflow and control edges; true when every op is
// reached (no cycle) and every name is unique.
bool IsDagWithUniqueNames(const v1::OperatorGraph& g, std::string* why) {
  std::set<std::string> tensors, ops;
  for (const v1::Tensor& t : g.tensors()) {
    if (!tensors.insert(t.name()).second) return *why = "tensor " + t.name(), false;
  }
  std::unordered_map<std::string, int> producer, index;
  for (int i = 0; i < g.ops_size(); ++i) {
    if (!ops.insert(g.ops(i).name()).second) return *why = "op " + g.ops(i).name(), false;
    index[g.ops(i).name()] = i;
    for (const std::string& out : g.ops(i).outputs()) producer[out] = i;
  }
  std::vector<std::vector<int>> next(g.ops_size());
  std::vector<int> indegree(g.ops_size(), 0);
  for (int i = 0; i < g.ops_size(); ++i) {
    std::set<int> deps;
    for (const std::string& in : g.ops(i).inputs()) {
      if (producer.count(in)) deps.insert(producer[in]);
    }
    for (const std::string& d : g.ops(i).control_deps()) deps.insert(index.at(d));
    for (int d : deps) {
      next[d].push_back(i);
      ++indegree[i];
    }
  }
  std::queue<int> ready;
  for (int i = 0; i < g.ops_size(); ++i) {
    if (indegree[i] == 0) ready.push(i);
  }
  int seen = 0;
  while (!ready.empty()) {
    int i = ready.front();
    ready.pop();
    ++seen;
    for (int n : next[i]) {
      if (--indegree[n] == 0) ready.push(n);
    }
  }
  if (seen != g.ops_size()) return *why = "cycle", false;
  return true;
}

std::string ErrorOf(const ModelSpec& spec, const BuildOptions& o) {
  try {
    BuildGraph(spec, o);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const v1::Operator& OpNamed(const v1::OperatorGraph& g, const std::string& name) {
  for (const v1::Operator& op : g.ops()) {
    if (op.name() == name) return op;
  }
  throw std::runtime_error("no op " + name);
}

const v1::Tensor& TensorNamed(const v1::OperatorGraph& g, const std::string& name) {
  for (const v1::Tensor& t : g.tensors()) {
    if (t.name() == name) return t;
  }
  throw std::runtime_error("no tensor " + name);
}

TEST(BuildGraph, EveryLlama3_8bDecodeGraphIsADagWithUniqueNames) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  for (int tp : {1, 2, 8}) {
    for (int pp : {1, 4}) {
      for (auto style :
           {TpCollectiveStyle::kAllReduce, TpCollectiveStyle::kReduceScatterAllGather}) {
        BuildOptions o = Decode(8, 1024);
        o.tensor_parallel = tp;
        o.pipeline_parallel = pp;
        o.tp_style = style;
        v1::OperatorGraph g = BuildGraph(spec, o);
        std::string why;
        EXPECT_TRUE(IsDagWithUniqueNames(g, &why))
            << "tp " << tp << " pp " << pp << ": " << why;
        EXPECT_NO_THROW(ValidateGraph(g, g.name()));
        EXPECT_EQ(g.num_devices(), tp * pp);
      }
    }
  }
}

TEST(BuildGraph, EveryShippedModelBuildsValidGraphsInEveryPhase) {
  for (const std::string& id : ShippedModelIds()) {
    ModelSpec spec = LoadModelSpec(id);
    for (v1::Phase phase :
         {v1::PHASE_PREFILL, v1::PHASE_DECODE, v1::PHASE_VERIFY, v1::PHASE_MIXED}) {
      for (int tp : {1, 2}) {
        BuildOptions o;
        o.phase = phase;
        o.batch = 2;
        o.seq_len = 16;
        o.context_len = phase == v1::PHASE_PREFILL ? 0 : 64;
        o.decode_batch = 3;
        o.draft_tokens = 3;
        o.tensor_parallel = tp;
        o.layers = 4;  // DeepSeek's fourth layer is its first MoE layer
        v1::OperatorGraph g = BuildGraph(spec, o);
        std::string why;
        EXPECT_TRUE(IsDagWithUniqueNames(g, &why)) << id << ": " << why;
        EXPECT_NO_THROW(ValidateGraph(g, g.name())) << g.name();
      }
    }
  }
}

TEST(BuildGraph, MoeModelsBuildWithExpertAndPipelineParallelism) {
  for (const std::string id : {"mixtral-8x7b", "deepseek-v3"}) {
    BuildOptions o = Decode(8, 256);
    o.layers = 5;
    o.expert_parallel = 4;
    o.tensor_parallel = 2;
    o.pipeline_parallel = 2;
    o.data_parallel = 2;
    o.routing = RoutingModel::kZipf;
    v1::OperatorGraph g = BuildGraph(LoadModelSpec(id), o);
    EXPECT_EQ(g.num_devices(), 4 * 2 * 2 * 2);
    std::string why;
    EXPECT_TRUE(IsDagWithUniqueNames(g, &why)) << id << ": " << why;
    EXPECT_NO_THROW(ValidateGraph(g, g.name()));
    int a2a = 0;
    for (const v1::Operator& op : g.ops()) {
      if (op.has_collective() && op.collective().kind() == v1::COLLECTIVE_ALL_TO_ALL) {
        EXPECT_EQ(op.collective().group_size(), 4);
        ++a2a;
      }
    }
    EXPECT_GT(a2a, 0) << id;
  }
}

// The expert all-to-alls are ragged: each chip sends each peer the rows
// routed to its experts, and the combine returns exactly those rows.
TEST(BuildGraph, ExpertAllToAllsSendTheRoutedRowsAndTheCombineReturnsThem) {
  BuildOptions o = Decode(32, 256);
  o.layers = 1;
  o.expert_parallel = 4;
  o.routing = RoutingModel::kZipf;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("mixtral-8x7b"), o);
  std::vector<std::vector<int64_t>> dispatch(4), combine(4);
  for (const v1::Operator& op : g.ops()) {
    if (!op.has_collective() || op.collective().kind() != v1::COLLECTIVE_ALL_TO_ALL)
      continue;
    ASSERT_EQ(op.collective().send_bytes_size(), 4) << op.name();
    auto& to = op.name().find("dispatch") != std::string::npos ? dispatch : combine;
    to[op.device()].assign(op.collective().send_bytes().begin(),
                           op.collective().send_bytes().end());
  }
  int64_t total = 0;
  for (int src = 0; src < 4; ++src) {
    for (int dst = 0; dst < 4; ++dst) {
      EXPECT_EQ(dispatch[src][dst], combine[dst][src]) << src << " -> " << dst;
      total += dispatch[src][dst];
    }
  }
  // Every token's top-2 rows cross (or stay): 32 tokens × 2 × 4096 × 2 B.
  EXPECT_EQ(total, 32 * 2 * 4096 * 2);
}

// A bug: rounding gave every EP group's leftover rows to the lowest-numbered
// experts, so at small batch "uniform" routing sent all tokens to the first
// few chips (DeepSeek-V3 EP16 decode, batch 128: chips 0–3 only).
TEST(BuildGraph, UniformRoutingLoadsEveryExpertParallelChipAlike) {
  BuildOptions o = Decode(128, 256);
  o.layers = 4;  // past DeepSeek-V3's three dense layers
  o.expert_parallel = 16;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("deepseek-v3"), o);
  std::map<int, int64_t> rows;  // rows each chip's experts receive
  for (const v1::Operator& op : g.ops()) {
    if (op.name().find("moe.dispatch_a2a") == std::string::npos) continue;
    for (int m = 0; m < op.collective().group_size(); ++m) {
      rows[op.collective().group(m)] += op.collective().send_bytes(m);
    }
  }
  ASSERT_EQ(rows.size(), 16u);
  auto [lo, hi] = std::minmax_element(
      rows.begin(), rows.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(lo->second, hi->second)
      << "chip " << lo->first << " gets " << lo->second << " B, chip " << hi->first << " "
      << hi->second << " B";
}

TEST(BuildGraph, NamesAreReadableAndDeterministic) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  BuildOptions o = Decode(1, 10);
  o.layers = 4;
  v1::OperatorGraph a = BuildGraph(spec, o);
  EXPECT_NO_THROW(OpNamed(a, "L3.attn.q_proj"));
  EXPECT_NO_THROW(TensorNamed(a, "L3.attn.q_proj.w"));
  EXPECT_EQ(a.SerializeAsString(), BuildGraph(spec, o).SerializeAsString());
  o.tensor_parallel = 2;
  v1::OperatorGraph b = BuildGraph(spec, o);
  EXPECT_EQ(OpNamed(b, "L3.attn.q_proj.d1").device(), 1);
}

TEST(BuildGraph, LayersOptionTruncatesTheStack) {
  BuildOptions o = Decode(1, 10);
  o.layers = 2;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-70b"), o);
  int max_layer = -1;
  for (const v1::Operator& op : g.ops()) max_layer = std::max(max_layer, op.layer());
  EXPECT_EQ(max_layer, 1);
}

TEST(BuildGraph, APhaseWithoutItsLengthsIsAnErrorNamingTheOption) {
  ModelSpec spec = LoadModelSpec("llama3-8b");
  BuildOptions o;
  o.phase = v1::PHASE_PREFILL;
  EXPECT_THAT(ErrorOf(spec, o), HasSubstr("seq_len"));
  o.phase = v1::PHASE_DECODE;
  EXPECT_THAT(ErrorOf(spec, o), HasSubstr("context_len"));
  o.phase = v1::PHASE_VERIFY;
  o.context_len = 5;
  EXPECT_THAT(ErrorOf(spec, o), HasSubstr("draft_tokens"));
}

TEST(BuildGraph, TensorParallelThatDoesNotDivideTheHeadsIsAnError) {
  BuildOptions o = Decode(1, 10);
  o.tensor_parallel = 3;
  std::string error = ErrorOf(LoadModelSpec("llama3-8b"), o);
  EXPECT_THAT(error, HasSubstr("tensor_parallel = 3"));
  EXPECT_THAT(error, HasSubstr("num_attention_heads"));
}

TEST(BuildGraph, KvHeadsFewerThanTpAreReplicatedOnePerDevice) {
  BuildOptions o = Decode(1, 10);
  o.tensor_parallel = 16;
  o.layers = 1;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-70b"), o);  // 8 KV heads
  const v1::Attention& a = OpNamed(g, "L0.attn.sdpa.d15").attention();
  EXPECT_EQ(a.num_q_heads(), 4);
  EXPECT_EQ(a.num_kv_heads(), 1);
  EXPECT_EQ(a.variant(), v1::ATTENTION_MQA);
}

TEST(BuildGraph, ExpertParallelOnADenseModelIsAnError) {
  BuildOptions o = Decode(4, 10);
  o.expert_parallel = 2;
  EXPECT_THAT(ErrorOf(LoadModelSpec("llama3-8b"), o), HasSubstr("expert_parallel = 2"));
}

TEST(BuildGraph, MixedIterationsGiveAttentionPerSequenceLengths) {
  BuildOptions o;
  o.phase = v1::PHASE_MIXED;
  o.batch = 2;
  o.seq_len = 128;
  o.decode_batch = 3;
  o.context_len = 1000;
  o.layers = 1;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-8b"), o);
  const v1::Attention& a = OpNamed(g, "L0.attn.sdpa").attention();
  EXPECT_THAT(a.q_lens(), ::testing::ElementsAre(128, 128, 1, 1, 1));
  EXPECT_THAT(a.kv_lens(), ::testing::ElementsAre(128, 128, 1001, 1001, 1001));
  // The head sees one row per sequence.
  EXPECT_EQ(TensorNamed(g, "lm_head").shape(0), 5);
}

TEST(BuildGraph, VerifyScoresEveryDraftPosition) {
  BuildOptions o = Decode(2, 100);
  o.phase = v1::PHASE_VERIFY;
  o.draft_tokens = 4;
  o.layers = 1;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-8b"), o);
  EXPECT_THAT(OpNamed(g, "L0.attn.sdpa").attention().q_lens(),
              ::testing::ElementsAre(5, 5));
  EXPECT_EQ(TensorNamed(g, "lm_head").shape(0), 10);
}

TEST(BuildGraph, PrefillWritesTheCacheAndKeepsOnlyLastTokensForTheHead) {
  BuildOptions o;
  o.phase = v1::PHASE_PREFILL;
  o.batch = 2;
  o.seq_len = 64;
  o.layers = 1;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-8b"), o);
  EXPECT_THAT(TensorNamed(g, "L0.attn.k_cache").shape(),
              ::testing::ElementsAre(2, 64, 8, 128));
  EXPECT_EQ(TensorNamed(g, "L0.attn.k_cache").placement(), v1::PLACEMENT_KV_CACHE);
  EXPECT_TRUE(OpNamed(g, "L0.attn.k_cache_append").has_kv_cache_append());
  EXPECT_EQ(TensorNamed(g, "lm_head").shape(0), 2);
}

TEST(BuildGraph, Gemma2LocalLayersCarryTheWindowAndGlobalOnesDoNot) {
  BuildOptions o = Decode(1, 8000);
  o.layers = 2;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("gemma2-9b"), o);
  EXPECT_EQ(OpNamed(g, "L0.attn.sdpa").attention().sliding_window(), 4096);
  EXPECT_EQ(OpNamed(g, "L1.attn.sdpa").attention().sliding_window(), 0);
  EXPECT_EQ(OpNamed(g, "L0.mlp.act").activation().kind(), v1::ACTIVATION_GEGLU);
}

TEST(BuildGraph, QwenProjectionsCarryABias) {
  BuildOptions o = Decode(1, 10);
  o.layers = 1;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("qwen2.5-7b"), o);
  const v1::Operator& q = OpNamed(g, "L0.attn.q_proj");
  EXPECT_TRUE(q.matmul().has_bias());
  EXPECT_EQ(q.inputs(2), "L0.attn.q_proj.b");
}

TEST(BuildGraph, Int4WeightsCarryGroupScalesAsAnExtraMatmulInput) {
  BuildOptions o = Decode(1, 10);
  o.layers = 1;
  o.weight_dtype = v1::DTYPE_INT4;
  o.weight_group_size = 128;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-8b"), o);
  const v1::Tensor& w = TensorNamed(g, "L0.mlp.down_proj.w");
  EXPECT_EQ(w.dtype(), v1::DTYPE_INT4);
  EXPECT_EQ(w.quantization().group_size(), 128);
  const v1::Tensor& scale = TensorNamed(g, w.quantization().scale_tensor());
  EXPECT_EQ(scale.placement(), v1::PLACEMENT_WEIGHT_SCALE);
  EXPECT_THAT(scale.shape(), ::testing::ElementsAre(14336 / 128, 4096));
  EXPECT_THAT(OpNamed(g, "L0.mlp.down_proj").inputs(),
              ::testing::ElementsAre("L0.mlp.act", "L0.mlp.down_proj.w",
                                     "L0.mlp.down_proj.scale"));
  EXPECT_NO_THROW(ValidateGraph(g, g.name()));
}

TEST(BuildGraph, KvCacheUsesTheKvDtype) {
  BuildOptions o = Decode(1, 10);
  o.layers = 1;
  o.kv_dtype = v1::DTYPE_FP8_E4M3;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("llama3-8b"), o);
  EXPECT_EQ(TensorNamed(g, "L0.attn.v_cache").dtype(), v1::DTYPE_FP8_E4M3);
}

TEST(BuildGraph, MlaDecodeAttendsOverTheLatentWhenAbsorbed) {
  BuildOptions o = Decode(2, 100);
  o.layers = 1;
  v1::OperatorGraph g = BuildGraph(LoadModelSpec("deepseek-v3"), o);
  const v1::Operator& op = OpNamed(g, "L0.attn.sdpa");
  EXPECT_TRUE(op.attention().absorbed());
  EXPECT_EQ(op.attention().variant(), v1::ATTENTION_MLA);
  EXPECT_EQ(op.inputs(1), "L0.attn.latent_cache");
  EXPECT_THAT(TensorNamed(g, "L0.attn.latent_cache").shape(),
              ::testing::ElementsAre(2, 101, 576));
  o.mla_absorbed = false;
  v1::OperatorGraph naive = BuildGraph(LoadModelSpec("deepseek-v3"), o);
  EXPECT_FALSE(OpNamed(naive, "L0.attn.sdpa").attention().absorbed());
  EXPECT_NO_THROW(OpNamed(naive, "L0.attn.kv_b_proj"));
  EXPECT_NO_THROW(ValidateGraph(naive, naive.name()));
}

// A bug the simulation fuzzer found: decompressing (not absorbed) MLA decode
// with a paged cache put the page size on an attention whose K and V are
// decompressed activations, and `dsasim run` rejected the graph.
TEST(BuildGraph, PagedMlaPagesOnlyTheAttentionThatReadsTheLatentCache) {
  BuildOptions o = Decode(2, 100);
  o.layers = 1;
  o.kv_page_size = 16;
  v1::OperatorGraph absorbed = BuildGraph(LoadModelSpec("deepseek-v3"), o);
  EXPECT_EQ(OpNamed(absorbed, "L0.attn.sdpa").attention().page_size(), 16);
  o.mla_absorbed = false;
  v1::OperatorGraph naive = BuildGraph(LoadModelSpec("deepseek-v3"), o);
  EXPECT_EQ(OpNamed(naive, "L0.attn.sdpa").attention().page_size(), 0);
  EXPECT_EQ(OpNamed(naive, "L0.attn.latent_cache_append").kv_cache_append().page_size(),
            16);
}

std::vector<int64_t> TokensPerExpert(const v1::OperatorGraph& g) {
  const auto& t = OpNamed(g, "L0.moe.dispatch").moe_dispatch().tokens_per_expert();
  return {t.begin(), t.end()};
}

TEST(BuildGraph, UniformRoutingSpreadsTopKRowsEvenly) {
  BuildOptions o = Decode(64, 10);
  o.layers = 1;
  std::vector<int64_t> rows =
      TokensPerExpert(BuildGraph(LoadModelSpec("mixtral-8x7b"), o));
  EXPECT_THAT(rows, ::testing::Each(16));
  // The graph outlives the reference into it (ASan found the temporary).
  const v1::OperatorGraph g = BuildGraph(LoadModelSpec("mixtral-8x7b"), o);
  const v1::Operator& w13 = OpNamed(g, "L0.moe.experts.w13");
  EXPECT_THAT(w13.matmul().group_rows(), ::testing::Each(16));
}

TEST(BuildGraph, ZipfRoutingIsSkewedAndRepeatsForASeed) {
  BuildOptions o = Decode(64, 10);
  o.layers = 1;
  o.routing = RoutingModel::kZipf;
  o.zipf_s = 1.2;
  ModelSpec spec = LoadModelSpec("deepseek-v3");
  o.layers = 4;
  auto rows = [&](const v1::OperatorGraph& g) {
    const auto& t = OpNamed(g, "L3.moe.dispatch").moe_dispatch().tokens_per_expert();
    return std::vector<int64_t>(t.begin(), t.end());
  };
  std::vector<int64_t> a = rows(BuildGraph(spec, o));
  EXPECT_EQ(std::accumulate(a.begin(), a.end(), int64_t{0}), 64 * 8);
  EXPECT_EQ(*std::max_element(a.begin(), a.end()), 64);  // capped at one per token
  EXPECT_EQ(a, rows(BuildGraph(spec, o)));
  o.seed = 7;
  EXPECT_NE(a, rows(BuildGraph(spec, o)));
}

TEST(BuildGraph, CapacityFactorDropsRowsBeyondTheCapacity) {
  BuildOptions o = Decode(64, 10);
  o.layers = 1;
  o.routing = RoutingModel::kZipf;
  o.capacity_factor = 1.0;  // 64·2/8 = 16 rows per expert
  std::vector<int64_t> rows =
      TokensPerExpert(BuildGraph(LoadModelSpec("mixtral-8x7b"), o));
  EXPECT_THAT(rows, ::testing::Each(::testing::Le(16)));
  EXPECT_LT(std::accumulate(rows.begin(), rows.end(), int64_t{0}), 128);
}

TEST(BuildGraph, HistogramRoutingReadsOneWeightPerExpert) {
  auto path = std::filesystem::temp_directory_path() / "dsasim_histogram_test.txt";
  std::ofstream(path) << "1\n1\n0\n0\n0\n0\n0\n2\n";
  BuildOptions o = Decode(8, 10);
  o.layers = 1;
  o.routing = RoutingModel::kHistogram;
  o.routing_histogram_path = path.string();
  EXPECT_THAT(TokensPerExpert(BuildGraph(LoadModelSpec("mixtral-8x7b"), o)),
              ::testing::ElementsAre(4, 4, 0, 0, 0, 0, 0, 8));
  std::ofstream(path) << "1\n2\n";
  EXPECT_THAT(ErrorOf(LoadModelSpec("mixtral-8x7b"), o), HasSubstr("8 experts"));
}

}  // namespace
}  // namespace dsasim::workloads
