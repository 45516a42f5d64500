#include "arch_models/compute/vector_cost.h"

#include <gtest/gtest.h>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

TEST(VectorCostTable, AnElementwiseOpCostsOverheadPlusOneCyclePerVector) {
  VectorCostTable ve(128, 100, {});
  EXPECT_DOUBLE_EQ(ve.Cycles("add", 4096), 100 + 32);
  EXPECT_DOUBLE_EQ(ve.Cycles("add", 4097), 100 + 33);  // a partial vector is a vector
  EXPECT_DOUBLE_EQ(ve.Cycles("add", 0), 100);
}

TEST(VectorCostTable, ReductionsAddALog2LanesTree) {
  VectorCostTable ve(128, 0, {});
  EXPECT_DOUBLE_EQ(ve.Cycles("sum", 1024), 8 + 7);
  EXPECT_DOUBLE_EQ(ve.Cycles("max_reduce", 1024), 8 + 7);
  EXPECT_TRUE(ve.IsReduction("sum"));
  EXPECT_FALSE(ve.IsReduction("max"));
}

TEST(VectorCostTable, TranscendentalsCostMoreThanAlu) {
  VectorCostTable ve(128, 0, {});
  EXPECT_GT(ve.CyclesPerVector("exp"), ve.CyclesPerVector("mul"));
  EXPECT_GT(ve.CyclesPerVector("rsqrt"), ve.CyclesPerVector("add"));
  EXPECT_GE(ve.CyclesPerVector("silu"), ve.CyclesPerVector("exp"));
}

TEST(VectorCostTable, OverridesReplaceTheDefault) {
  VectorCostTable ve(128, 0, {{"exp", 2.0}, {"add", 2.0}});
  EXPECT_DOUBLE_EQ(ve.Cycles("exp", 128 * 10), 20);
  EXPECT_DOUBLE_EQ(ve.Cycles("add", 128), 2);
  EXPECT_DOUBLE_EQ(ve.CyclesPerVector("mul"), 1);
}

TEST(VectorCostTable, AnUnknownOpIsAConfigErrorListingTheKnownOps) {
  VectorCostTable ve(128, 0, {});
  try {
    ve.Cycles("softmax", 10);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("softmax"), std::string::npos);
    EXPECT_NE(what.find("rsqrt"), std::string::npos);
    EXPECT_NE(what.find("dequant"), std::string::npos);
  }
  EXPECT_THROW(VectorCostTable(128, 0, {{"tanh", 3.0}}), ConfigError);
}

TEST(VectorCostTable, RejectsBadLanesOverheadAndCosts) {
  EXPECT_THROW(VectorCostTable(0, 0, {}), ConfigError);
  EXPECT_THROW(VectorCostTable(128, -1, {}), ConfigError);
  EXPECT_THROW(VectorCostTable(128, 0, {{"exp", 0.0}}), ConfigError);
}

}  // namespace
}  // namespace dsasim::arch
