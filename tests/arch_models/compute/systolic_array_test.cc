#include "arch_models/compute/systolic_array.h"

#include <gtest/gtest.h>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

struct LutRow {
  int64_t m, n, k;
  int array;
  int64_t cycles;
  double util_percent;
};

// component_refs.md §4.1, "Example OS entries from the LUT".
constexpr LutRow kOsRows[] = {
    {16, 16, 512, 16, 541, 94.64},       {32, 16, 256, 16, 571, 89.67},
    {32, 32, 128, 16, 631, 81.14},       {64, 64, 64, 32, 503, 50.90},
    {64, 64, 64, 64, 189, 33.86},        {256, 128, 256, 64, 3055, 67.04},
    {128, 128, 64, 128, 317, 20.19},     {64, 32, 4096, 128, 4349, 11.77},
    {512, 1024, 128, 128, 12223, 33.51},
};

TEST(SystolicArrayOs, MatchesEveryScaleSimLookUpTableExample) {
  for (const LutRow& row : kOsRows) {
    SystolicArray array(row.array, row.array, v1::DATAFLOW_OUTPUT_STATIONARY);
    const GemmShape shape{row.m, row.n, row.k};
    EXPECT_EQ(array.Cycles(shape), row.cycles)
        << row.m << "," << row.n << "," << row.k << " on " << row.array;
    EXPECT_NEAR(array.Utilization(shape) * 100, row.util_percent, 0.006)
        << row.m << "," << row.n << "," << row.k << " on " << row.array;
  }
}

TEST(SystolicArrayWs, MatchesScaleSimGoldenAlexNetConv1Trace) {
  SystolicArray array(32, 32, v1::DATAFLOW_WEIGHT_STATIONARY);
  const GemmShape conv1{.m = 3025, .n = 96, .k = 363};
  EXPECT_EQ(array.Folds(conv1), 36);
  EXPECT_EQ(array.Cycles(conv1), 112283);
  EXPECT_NEAR(array.MappingEfficiency(conv1) * 100, 94.53, 0.005);
  // SCALE-Sim's "overall util": MACs / (cycles · R · C).
  EXPECT_NEAR(array.Utilization(conv1) * 100, 91.68, 0.005);
}

TEST(SystolicArrayIs, SwapsTheRolesOfMAndNRelativeToWeightStationary) {
  SystolicArray is(32, 16, v1::DATAFLOW_INPUT_STATIONARY);
  // Folds ⌈K/R⌉·⌈M/C⌉ = ⌈100/32⌉·⌈40/16⌉ = 4·3; per fold 2R + C + N − 2.
  const GemmShape shape{.m = 40, .n = 70, .k = 100};
  EXPECT_EQ(is.Folds(shape), 12);
  EXPECT_EQ(is.Cycles(shape), 12 * (64 + 16 + 70 - 2) - 1);
}

TEST(SystolicArray, AnEmptyGemmCostsNothing) {
  SystolicArray array(8, 8, v1::DATAFLOW_OUTPUT_STATIONARY);
  EXPECT_EQ(array.Cycles({0, 8, 8}), 0);
  EXPECT_EQ(array.Folds({8, 0, 8}), 0);
}

TEST(SystolicArray, RejectsAnUnspecifiedDataflowOrEmptyArray) {
  EXPECT_THROW(SystolicArray(8, 8, v1::DATAFLOW_UNSPECIFIED), ConfigError);
  EXPECT_THROW(SystolicArray(0, 8, v1::DATAFLOW_OUTPUT_STATIONARY), ConfigError);
}

}  // namespace
}  // namespace dsasim::arch
