// The real-hardware comparison's parts: reference tables, the row runner and
// the goal check. The full gate (every table, `dsasim validate --check`) is a
// CTest of its own in CMakeLists.txt, because the GEMM tables take minutes.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tools/validate/reference_table.h"
#include "tools/validate/validation_suite.h"

namespace dsasim::validate {
namespace {

TEST(ValidationSuite, EveryMemoryBoundRowRunsWithAFiniteErrorAboveItsRoofline) {
  for (const char* name : {"a100_softmax", "a100_layernorm", "mi210_gelu"}) {
    TableResult r = RunTable(FindTable(name));
    ASSERT_FALSE(r.rows.empty()) << name;
    for (const RowResult& row : r.rows) {
      EXPECT_GT(row.roofline_s, 0) << name << " " << row.shape;
      EXPECT_GE(row.simulated_s, row.roofline_s) << name << " " << row.shape;
      EXPECT_TRUE(std::isfinite(row.error)) << name << " " << row.shape;
    }
  }
}

// The A100 tables (one chip, and the 4× A100 NVLink all-reduce) carry the
// goals their presets were calibrated to; the MI210 ones report only.
TEST(ValidationSuite, OnlyTheA100TablesCarryGoals) {
  for (const TableSpec& spec : AllTables()) {
    EXPECT_EQ(spec.goal > 0, std::string(spec.name).starts_with("a100")) << spec.name;
  }
  EXPECT_DOUBLE_EQ(FindTable("a100_gemm").goal, 0.10);
  EXPECT_DOUBLE_EQ(FindTable("a100_softmax").goal, 0.15);
  EXPECT_DOUBLE_EQ(FindTable("a100x4_allreduce").goal, 0.15);
}

RowResult Row(const char* shape, double measured, double simulated, double roofline) {
  RowResult r;
  r.shape = shape;
  r.measured_s = measured;
  r.simulated_s = simulated;
  r.error = (simulated - measured) / measured;
  r.roofline_s = roofline;
  return r;
}

TEST(GoalViolations, AMapeAboveTheGoalIsReported) {
  TableResult r;
  r.name = "t";
  r.goal = 0.09;
  r.rows = {Row("a", 1, 1.2, 0.5), Row("b", 1, 1.0, 0.5)};
  r.mape = Mape(r.rows);
  ASSERT_EQ(GoalViolations(r).size(), 1u);
  EXPECT_NE(GoalViolations(r)[0].find("exceeds the goal"), std::string::npos);
  r.goal = 0.11;
  EXPECT_TRUE(GoalViolations(r).empty());
}

TEST(GoalViolations, ARowFasterThanItsRooflineFailsEvenWithoutAGoal) {
  TableResult r;
  r.name = "t";
  r.rows = {Row("m=1", 1.0, 0.4, 0.5)};
  r.mape = Mape(r.rows);
  ASSERT_EQ(GoalViolations(r).size(), 1u);
  EXPECT_NE(GoalViolations(r)[0].find("m=1"), std::string::npos);
}

TEST(ReferenceTable, KeepsTheSourceLineAndParsesEveryRow) {
  ReferenceTable t = EmbeddedReferenceTable("a100_mi210_gemm");
  EXPECT_NE(t.source.find("LLMCompass"), std::string::npos);
  EXPECT_EQ(t.rows.size(), 20u);
  EXPECT_DOUBLE_EQ(t.Value(0, "a100_latency_ms"), 0.1900);
}

TEST(ReferenceTable, ARaggedRowIsAnErrorNamingTheLine) {
  try {
    ParseReferenceTable("bad", "# src\na,b\n1,2\n3\n");
    FAIL() << "expected ConfigError";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("bad:4"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dsasim::validate
