#include "workloads/graph/graph_index.h"

#include <gtest/gtest.h>

#include "sim/error.h"
#include "tests/graph/test_graphs.h"

namespace dsasim::workloads {
namespace {

using testing::MlpBlock;
using testing::TestGraph;

TEST(GraphIndex, ResolvesProducersAndConsumers) {
  auto g = MlpBlock();
  GraphIndex index(g);
  EXPECT_EQ(index.Producer("h"), 1);
  EXPECT_EQ(index.Producer("x"), -1);  // a graph input
  EXPECT_EQ(index.Consumers("x"), (std::vector<int>{0, 4}));
  EXPECT_EQ(index.Predecessors(4), (std::vector<int>{3}));
  EXPECT_EQ(index.Successors(0), (std::vector<int>{1}));
  EXPECT_EQ(index.FindTensor("w_up")->shape(1), 16);
  EXPECT_EQ(index.FindOp("act"), 2);
}

// Two independent chains listed out of order: c1 <- b1, c2 <- b2, plus a
// root every op waits for. Ready ops go lowest index first.
v1::OperatorGraph Shuffled() {
  TestGraph t;
  for (const char* n : {"in", "r", "b1", "b2", "c1", "c2"}) t.Tensor(n, {2});
  auto copy = [&](const char* name, const char* in, const char* out) {
    t.Op(name, {in}, {out})->mutable_elementwise()->set_kind(v1::ELEMENTWISE_COPY);
  };
  copy("op_c2", "b2", "c2");  // 0
  copy("op_b1", "r", "b1");   // 1
  copy("op_c1", "b1", "c1");  // 2
  copy("op_r", "in", "r");    // 3
  copy("op_b2", "r", "b2");   // 4
  return t.graph;
}

TEST(GraphIndex, TopologicalOrderBreaksTiesByOpIndex) {
  auto g = Shuffled();
  GraphIndex index(g);
  // After op_r (3): op_b1 (1) and op_b2 (4) are ready; 1 first, which
  // readies op_c1 (2) < 4.
  EXPECT_EQ(index.TopologicalOrder(), (std::vector<int>{3, 1, 2, 4, 0}));
}

TEST(GraphIndex, TopologicalOrderIsTheSameOnEveryBuild) {
  auto g = Shuffled();
  std::vector<int> first = GraphIndex(g).TopologicalOrder();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(GraphIndex(g).TopologicalOrder(), first);
}

TEST(GraphIndex, AnAlreadySortedGraphKeepsFileOrder) {
  auto g = MlpBlock();
  EXPECT_EQ(GraphIndex(g).TopologicalOrder(), (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(GraphIndex, ControlDependenciesOrderOps) {
  auto g = Shuffled();
  g.mutable_ops(1)->add_control_deps("op_b2");  // op_b1 after op_b2
  EXPECT_EQ(GraphIndex(g).TopologicalOrder(), (std::vector<int>{3, 4, 0, 1, 2}));
}

TEST(GraphIndex, TopologicalOrderOfACycleThrowsNamingIt) {
  auto g = Shuffled();
  g.mutable_ops(3)->add_control_deps("op_c1");  // op_r after op_c1
  GraphIndex index(g);
  EXPECT_EQ(index.FindCycle(), (std::vector<int>{1, 2, 3}));
  try {
    index.TopologicalOrder();
    ADD_FAILURE() << "cycle not detected";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("op_b1 -> op_c1 -> op_r -> op_b1"),
              std::string::npos)
        << e.what();
  }
}

TEST(GraphIndex, ADagHasNoCycle) {
  auto g = MlpBlock();
  EXPECT_FALSE(GraphIndex(g).FindCycle().has_value());
}

TEST(GraphIndex, CriticalPathFollowsTheHeaviestChain) {
  auto g = Shuffled();
  GraphIndex index(g);
  // op_c2 and op_b2 are heavy: r -> b2 -> c2 wins.
  std::vector<double> cost{5, 1, 1, 1, 3};
  GraphIndex::Path path = index.CriticalPath(cost);
  EXPECT_EQ(path.cost, 9);
  EXPECT_EQ(path.ops, (std::vector<int>{3, 4, 0}));
}

}  // namespace
}  // namespace dsasim::workloads
