#include "workloads/graph/graph_dot.h"

#include <gtest/gtest.h>

#include "tests/graph/test_graphs.h"

namespace dsasim::workloads {
namespace {

using testing::TestGraph;

TEST(GraphToDot, LabelsOpsWithKindAndEdgesWithTensorShapes) {
  TestGraph t;
  t.graph.set_name("two \"ops\"");
  t.Tensor("x", {2, 4});
  t.Tensor("w", {4, 4}, v1::PLACEMENT_WEIGHT);
  t.Tensor("y", {2, 4});
  t.Tensor("z", {2, 4});
  t.Op("mm", {"x", "w"}, {"y"})->mutable_matmul();
  auto* act = t.Op("act", {"y"}, {"z"});
  act->mutable_activation()->set_kind(v1::ACTIVATION_RELU);
  act->add_control_deps("mm");
  EXPECT_EQ(GraphToDot(t.graph),
            "digraph \"two \\\"ops\\\"\" {\n"
            "  rankdir=TB;\n"
            "  node [shape=box, fontname=\"monospace\"];\n"
            "  edge [fontname=\"monospace\", fontsize=10];\n"
            "  \"in:x\" [shape=ellipse, label=\"x\\n[2, 4]\"];\n"
            "  op0 [label=\"mm\\nmatmul\"];\n"
            "  op1 [label=\"act\\nactivation\"];\n"
            "  \"in:x\" -> op0;\n"
            "  op0 -> op1 [label=\"y [2, 4]\"];\n"
            "  op0 -> op1 [style=dashed];\n"
            "}\n");
}

TEST(GraphToDot, IsByteIdenticalAcrossCalls) {
  auto g = testing::MlpBlock();
  std::string first = GraphToDot(g);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(GraphToDot(g), first);
}

}  // namespace
}  // namespace dsasim::workloads
