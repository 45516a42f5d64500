#include "workloads/graph/graph_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/error.h"
#include "sim/proto_io.h"
#include "tests/graph/test_graphs.h"

namespace dsasim::workloads {
namespace {

using ::testing::HasSubstr;
using testing::MlpBlock;
using testing::TestGraph;

// The message ValidateGraph throws, or "" when the graph is accepted.
std::string ErrorOf(const v1::OperatorGraph& graph) {
  try {
    ValidateGraph(graph, "bad.textproto");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

v1::Operator* OpNamed(v1::OperatorGraph& g, const std::string& name) {
  for (auto& op : *g.mutable_ops()) {
    if (op.name() == name) return &op;
  }
  return nullptr;
}

v1::Tensor* TensorNamed(v1::OperatorGraph& g, const std::string& name) {
  for (auto& t : *g.mutable_tensors()) {
    if (t.name() == name) return &t;
  }
  return nullptr;
}

TEST(ValidateGraph, AcceptsAWellFormedBlock) { EXPECT_EQ(ErrorOf(MlpBlock()), ""); }

TEST(ValidateGraph, RejectsAnotherSchemaVersion) {
  auto g = MlpBlock();
  g.set_schema_version(2);
  EXPECT_THAT(ErrorOf(g), HasSubstr("bad.textproto: schema_version is 2"));
}

TEST(ValidateGraph, RejectsADuplicateTensorNamingIt) {
  auto g = MlpBlock();
  *g.add_tensors() = g.tensors(2);
  EXPECT_THAT(ErrorOf(g), HasSubstr("tensor 'xn': duplicate tensor name"));
}

TEST(ValidateGraph, RejectsADuplicateOpNamingIt) {
  auto g = MlpBlock();
  OpNamed(g, "act")->set_name("up");
  EXPECT_THAT(ErrorOf(g), HasSubstr("op 'up' (activation): duplicate op name"));
}

TEST(ValidateGraph, RejectsADanglingInputNamingOpAndTensor) {
  auto g = MlpBlock();
  OpNamed(g, "down")->set_inputs(1, "w_dwn");
  EXPECT_THAT(ErrorOf(g),
              HasSubstr("op 'down' (matmul): input tensor 'w_dwn' does not exist"));
}

TEST(ValidateGraph, RejectsADanglingOutput) {
  auto g = MlpBlock();
  OpNamed(g, "residual")->set_outputs(0, "nowhere");
  EXPECT_THAT(ErrorOf(g),
              HasSubstr("op 'residual' (elementwise): output tensor 'nowhere'"));
}

TEST(ValidateGraph, RejectsAControlDependencyOnNoOp) {
  auto g = MlpBlock();
  OpNamed(g, "down")->add_control_deps("ghost");
  EXPECT_THAT(ErrorOf(g), HasSubstr("op 'down' (matmul): control dependency 'ghost'"));
}

TEST(ValidateGraph, RejectsATensorProducedTwiceNamingBothOps) {
  auto g = MlpBlock();
  OpNamed(g, "down")->set_outputs(0, "a");
  EXPECT_THAT(ErrorOf(g),
              HasSubstr("tensor 'a': produced twice, by op 'act' and op 'down'"));
}

TEST(ValidateGraph, RejectsACycleNamingItsOps) {
  auto g = MlpBlock();
  // norm now waits for residual, which needs down, act, up and norm.
  OpNamed(g, "norm")->add_control_deps("residual");
  std::string error = ErrorOf(g);
  EXPECT_THAT(error, HasSubstr("dependency cycle through ops"));
  for (const char* op : {"'norm'", "'up'", "'act'", "'down'", "'residual'"}) {
    EXPECT_THAT(error, HasSubstr(op));
  }
}

TEST(ValidateGraph, RejectsAnOpThatDependsOnItself) {
  auto g = MlpBlock();
  OpNamed(g, "act")->add_control_deps("act");
  EXPECT_THAT(ErrorOf(g), HasSubstr("cycle through ops 'act' -> 'act'"));
}

TEST(ValidateGraph, RejectsAnOpWithoutKindAsUnknown) {
  auto g = MlpBlock();
  OpNamed(g, "act")->clear_activation();
  EXPECT_THAT(ErrorOf(g), HasSubstr("op 'act' (unknown): unknown op"));
}

TEST(ValidateGraph, RejectsAnOpKindFromANewerSchemaAsUnknown) {
  // A newer writer's kind (field 40, say) survives binary parsing only as an
  // unknown field; the op then has no kind this build understands.
  auto g = MlpBlock();
  v1::Operator* op = OpNamed(g, "act");
  op->clear_activation();
  op->GetReflection()->MutableUnknownFields(op)->AddLengthDelimited(40, "");
  v1::OperatorGraph decoded;
  ASSERT_TRUE(decoded.ParseFromString(g.SerializeAsString()));
  EXPECT_THAT(ErrorOf(decoded), HasSubstr("op 'act' (unknown): unknown op"));
}

TEST(ValidateGraph, RejectsAMatMulWhoseKDisagrees) {
  auto g = MlpBlock();
  TensorNamed(g, "w_down")->set_shape(0, 16);
  EXPECT_THAT(ErrorOf(g), HasSubstr("op 'down' (matmul): K of A 'a' (8"));
}

TEST(ValidateGraph, ReadsKFromTheOtherDimensionOfAColumnMajorB) {
  auto g = MlpBlock();
  v1::Tensor* w = TensorNamed(g, "w_up");  // [8, 16] -> stored as [16, 8]
  w->set_shape(0, 16);
  w->set_shape(1, 8);
  w->set_layout(v1::LAYOUT_COL_MAJOR);
  EXPECT_EQ(ErrorOf(g), "");
}

TEST(ValidateGraph, RejectsAMatMulOutputOfTheWrongShape) {
  auto g = MlpBlock();
  TensorNamed(g, "h")->set_shape(1, 12);
  EXPECT_THAT(ErrorOf(g), HasSubstr("op 'up' (matmul): output 'h' has shape [4, 12]"));
}

TEST(ValidateGraph, RejectsGroupRowsThatDoNotSumToTheRowsOfA) {
  TestGraph t;
  t.Tensor("x", {6, 8});
  t.Tensor("w", {2, 8, 4}, v1::PLACEMENT_WEIGHT);
  t.Tensor("y", {6, 4});
  auto* mm = t.Op("experts", {"x", "w"}, {"y"})->mutable_matmul();
  mm->add_group_rows(3);
  mm->add_group_rows(3);
  EXPECT_EQ(ErrorOf(t.graph), "");
  mm->set_group_rows(1, 2);
  EXPECT_THAT(
      ErrorOf(t.graph),
      HasSubstr("op 'experts' (matmul): group_rows sum to 5 but A 'x' has 6 rows"));
}

TEST(ValidateGraph, RejectsElementwiseInputsThatDoNotBroadcast) {
  auto g = MlpBlock();
  TensorNamed(g, "y")->set_shape(1, 16);
  TensorNamed(g, "w_down")->set_shape(1, 16);
  EXPECT_THAT(ErrorOf(g),
              HasSubstr("op 'residual' (elementwise): input 'y' shape [4, 16]"));
}

TEST(ValidateGraph, AcceptsElementwiseBroadcastOfABias) {
  TestGraph t;
  t.Tensor("x", {4, 8});
  t.Tensor("b", {8}, v1::PLACEMENT_WEIGHT);
  t.Tensor("y", {4, 8});
  t.Op("bias", {"x", "b"}, {"y"})->mutable_elementwise()->set_kind(v1::ELEMENTWISE_ADD);
  EXPECT_EQ(ErrorOf(t.graph), "");
}

// q [3, 4, 8], k/v [3, 2, 8]: 3 prefill tokens of one sequence, GQA 4/2.
TestGraph Attention() {
  TestGraph t;
  t.Tensor("q", {3, 4, 8});
  t.Tensor("k", {3, 2, 8});
  t.Tensor("v", {3, 2, 8});
  t.Tensor("o", {3, 4, 8});
  auto* at = t.Op("attn", {"q", "k", "v"}, {"o"})->mutable_attention();
  at->set_variant(v1::ATTENTION_GQA);
  at->set_causal(true);
  at->set_num_q_heads(4);
  at->set_num_kv_heads(2);
  at->set_head_dim(8);
  at->add_q_lens(3);
  at->add_kv_lens(3);
  return t;
}

TEST(ValidateGraph, AcceptsGqaAttention) { EXPECT_EQ(ErrorOf(Attention().graph), ""); }

TEST(ValidateGraph, RejectsAttentionWhoseKeyHeadDimDisagreesWithTheFields) {
  auto t = Attention();
  TensorNamed(t.graph, "k")->set_shape(2, 16);
  EXPECT_THAT(
      ErrorOf(t.graph),
      HasSubstr(
          "op 'attn' (attention): k 'k' has shape [3, 2, 16], expected [.., 2, 8]"));
}

TEST(ValidateGraph, RejectsAttentionWithMoreQueryLensThanKvLens) {
  auto t = Attention();
  t.graph.mutable_ops(0)->mutable_attention()->add_q_lens(1);
  EXPECT_THAT(ErrorOf(t.graph), HasSubstr("q_lens has 2 entries and kv_lens 1"));
}

TEST(ValidateGraph, RejectsQueriesThatDoNotSumToTheQueryRows) {
  auto t = Attention();
  t.graph.mutable_ops(0)->mutable_attention()->set_q_lens(0, 2);
  EXPECT_THAT(ErrorOf(t.graph), HasSubstr("q 'q' has shape [3, 4, 8], expected [2 (sum"));
}

TEST(ValidateGraph, RejectsATensorWithoutDtype) {
  auto g = MlpBlock();
  TensorNamed(g, "h")->set_dtype(v1::DTYPE_UNSPECIFIED);
  EXPECT_THAT(ErrorOf(g), HasSubstr("tensor 'h': dtype is unspecified"));
}

TEST(ValidateGraph, RejectsADeviceOutOfRange) {
  auto g = MlpBlock();
  OpNamed(g, "up")->set_device(1);
  EXPECT_THAT(ErrorOf(g),
              HasSubstr("op 'up' (matmul): device 1 is outside [0, num_devices = 1)"));
}

TEST(ValidateGraph, RejectsACollectiveMemberOutOfRange) {
  TestGraph t;
  t.graph.set_num_devices(2);
  t.Tensor("x", {4, 8});
  t.Tensor("y", {4, 8});
  auto* c = t.Op("ar", {"x"}, {"y"})->mutable_collective();
  c->set_kind(v1::COLLECTIVE_ALL_REDUCE);
  c->add_group(0);
  c->add_group(1);
  EXPECT_EQ(ErrorOf(t.graph), "");
  c->add_group(2);
  EXPECT_THAT(ErrorOf(t.graph),
              HasSubstr("op 'ar' (collective): collective group member 2"));
}

TEST(ValidateGraph, ChecksAllGatherOutputIsGroupTimesInput) {
  TestGraph t;
  t.graph.set_num_devices(2);
  t.Tensor("x", {4, 8});
  t.Tensor("y", {4, 8});
  auto* c = t.Op("ag", {"x"}, {"y"})->mutable_collective();
  c->set_kind(v1::COLLECTIVE_ALL_GATHER);
  c->add_group(0);
  c->add_group(1);
  EXPECT_THAT(ErrorOf(t.graph), HasSubstr("has 32 elements, expected 32 x 2"));
}

TEST(ValidateGraph, ChecksARaggedAllToAllsSendBytes) {
  TestGraph t;
  t.graph.set_num_devices(2);
  t.Tensor("x", {4, 8});  // 64 B in bf16
  t.Tensor("y", {4, 8});
  auto* c = t.Op("a2a", {"x"}, {"y"})->mutable_collective();
  c->set_kind(v1::COLLECTIVE_ALL_TO_ALL);
  c->add_group(0);
  c->add_group(1);
  c->add_send_bytes(16);
  EXPECT_THAT(ErrorOf(t.graph),
              HasSubstr("send_bytes has 1 entries for a 2-device group"));
  c->add_send_bytes(48);
  EXPECT_EQ(ErrorOf(t.graph), "");
  c->set_send_bytes(1, 49);
  EXPECT_THAT(ErrorOf(t.graph),
              HasSubstr("send_bytes add up to 65 B, more than input 'x'"));
  c->set_send_bytes(1, 48);
  c->set_kind(v1::COLLECTIVE_ALL_REDUCE);
  EXPECT_THAT(ErrorOf(t.graph),
              HasSubstr("send_bytes is for COLLECTIVE_ALL_TO_ALL only"));
}

TEST(ValidateGraph, RejectsAShapeWithTooManyElements) {
  auto g = MlpBlock();
  v1::Tensor* t = TensorNamed(g, "h");
  t->set_shape(0, int64_t{1} << 40);
  t->set_shape(1, int64_t{1} << 40);
  EXPECT_THAT(ErrorOf(g), HasSubstr("tensor 'h': shape"));
}

// A bug the simulation fuzzer found: a KV cache read or an MoE dispatch
// without inputs passed validation, and the lowering's read of its first
// input failed protobuf's CHECK (std::terminate).
TEST(ValidateGraph, RejectsAKvCacheReadOrMoeDispatchWithoutItsInput) {
  TestGraph t;
  t.Tensor("rows", {4, 8});
  t.Op("read", {}, {"rows"})->mutable_kv_cache_read();
  EXPECT_THAT(ErrorOf(t.graph), HasSubstr("op 'read' (kv_cache_read): has 0 inputs"));
  TestGraph u;
  u.Tensor("routed", {4, 8});
  v1::MoeDispatch* d = u.Op("dispatch", {}, {"routed"})->mutable_moe_dispatch();
  d->set_num_experts(2);
  d->set_top_k(1);
  EXPECT_THAT(ErrorOf(u.graph), HasSubstr("op 'dispatch' (moe_dispatch): has 0 inputs"));
}

// Found by the simulation fuzzer: a gated activation without inputs read
// its first input to check the gate/up split (protobuf CHECK, terminate).
TEST(ValidateGraph, RejectsAGatedActivationWithoutInputs) {
  TestGraph t;
  t.Tensor("y", {4, 8});
  t.Op("act", {}, {"y"})->mutable_activation()->set_kind(v1::ACTIVATION_SWIGLU);
  EXPECT_THAT(ErrorOf(t.graph), HasSubstr("op 'act' (activation): has 0 inputs"));
}

TEST(LoadMessage, NamesTheFileOfAMalformedBinaryTrace) {
  namespace fs = std::filesystem;
  fs::path p = fs::temp_directory_path() /
               ("dsasim_bad_graph_" + std::to_string(::getpid()) + ".pb");
  std::ofstream(p, std::ios::binary) << std::string("\x0a\xff\xff\xff", 4);
  v1::OperatorGraph g;
  try {
    LoadMessage(p, g);
    ADD_FAILURE() << "malformed file accepted";
  } catch (const ConfigError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr(p.string()));
  }
  fs::remove(p);
}

}  // namespace
}  // namespace dsasim::workloads
