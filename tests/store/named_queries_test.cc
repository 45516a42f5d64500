#include "tools/store/named_queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "sim/error.h"
#include "tests/store/sample_run.h"

namespace dsasim::store {
namespace {

using ::testing::HasSubstr;
using testing::SampleRun;
using testing::TempDatabase;

double Real(const SqlCell& cell) { return std::stod(cell.text); }

RunRecord RunWithMetrics(const std::string& hash, double x, double y) {
  RunRecord r = SampleRun(1, 0);
  r.config_hash = hash;
  r.metrics = {{"area_mm2", x, "mm2"}, {"latency_s", y, "s"}};
  return r;
}

class NamedQueries : public ::testing::Test {
 protected:
  NamedQueries()
      : db_(::testing::UnitTest::GetInstance()->current_test_info()->name()),
        store_(ResultStore::Open(db_.path(), ResultStore::Mode::kReadWrite)) {}
  TempDatabase db_;  // declared first: outlives the open store
  ResultStore store_;
};

TEST_F(NamedQueries, LatestResolvesToTheNewestRunAndUnknownIdsAreErrors) {
  EXPECT_THROW(ResolveRunId(store_, "latest"), ConfigError);
  store_.WriteRun(SampleRun(1, 1));
  int64_t b = store_.WriteRun(SampleRun(2, 1));
  EXPECT_EQ(ResolveRunId(store_, "latest"), b);
  EXPECT_EQ(ResolveRunId(store_, "1"), 1);
  EXPECT_THROW(ResolveRunId(store_, "99"), ConfigError);
  EXPECT_THROW(ResolveRunId(store_, "first"), ConfigError);
  EXPECT_THROW(ResolveRunId(store_, "1x"), ConfigError);
}

TEST_F(NamedQueries, UtilizationWeightsEachIntervalByItsLengthOverTheRunSpan) {
  int64_t id = store_.WriteRun(SampleRun(1, 2));
  QueryResult r = UtilizationQuery(store_, id);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][0].text, "chip0.tensor");
  // 0.5 over [0, 2000) and 1.0 over [2000, 4000) of a 4000 ps run.
  EXPECT_DOUBLE_EQ(Real(r.rows[0][1]), 0.75);
  EXPECT_DOUBLE_EQ(Real(r.rows[0][2]), 3000e-12);
  EXPECT_EQ(r.rows[1][0].text, "chip0.hbm");
  EXPECT_DOUBLE_EQ(Real(r.rows[1][1]), 0.25);
}

// Bug: the rows came sorted by name while the doc promised busiest first.
TEST_F(NamedQueries, UtilizationListsTheBusiestComponentFirstAndTiesByName) {
  RunRecord run = SampleRun(1, 0);
  run.timeline = {{"b_idle", 0, 4000, 0.0, 0},
                  {"a_half", 0, 4000, 0.5, 0},
                  {"c_half", 0, 4000, 0.5, 0},
                  {"z_busy", 0, 4000, 0.9, 0}};
  QueryResult r = UtilizationQuery(store_, store_.WriteRun(run));
  std::vector<std::string> order;
  for (const auto& row : r.rows) order.push_back(row[0].text);
  EXPECT_EQ(order, (std::vector<std::string>{"z_busy", "a_half", "c_half", "b_idle"}));
}

TEST_F(NamedQueries, OpBreakdownSumsCountTimeFlopsAndBytesPerKind) {
  int64_t id = store_.WriteRun(SampleRun(1, 4));
  QueryResult r = OpBreakdownQuery(store_, id);
  ASSERT_EQ(r.rows.size(), 2u);
  std::map<std::string, std::vector<SqlCell>> by_kind;
  for (const auto& row : r.rows) by_kind[row[0].text] = row;
  EXPECT_EQ(by_kind["matmul"][1].text, "2");
  EXPECT_DOUBLE_EQ(Real(by_kind["matmul"][2]), 2 * 1501e-12);
  EXPECT_DOUBLE_EQ(Real(by_kind["matmul"][3]), 4e9);
  EXPECT_DOUBLE_EQ(Real(by_kind["attention"][3]), 6e9);
  EXPECT_DOUBLE_EQ(Real(by_kind["attention"][4]), 4096.0 * 6);
}

TEST_F(NamedQueries, BottleneckSharesAddUpToOne) {
  int64_t id = store_.WriteRun(SampleRun(1, 12));
  QueryResult r = BottlenecksQuery(store_, id);
  ASSERT_FALSE(r.rows.empty());
  double share = 0;
  int64_t ops = 0;
  for (const auto& row : r.rows) {
    share += Real(row[4]);
    ops += std::stoll(row[2].text);
  }
  EXPECT_NEAR(share, 1.0, 1e-12);
  EXPECT_EQ(ops, 12);
}

TEST_F(NamedQueries, CompareShowsBothRunsAndTheRatioOfTheSecondToTheFirst) {
  int64_t a = store_.WriteRun(SampleRun(1, 1));
  int64_t b = store_.WriteRun(SampleRun(2, 1));
  QueryResult r = CompareQuery(store_, a, b);
  ASSERT_EQ(r.columns,
            (std::vector<std::string>{"name", "unit", "run_1", "run_2", "ratio"}));
  ASSERT_EQ(r.rows.size(), 5u);  // system, workload, three metrics
  EXPECT_EQ(r.rows[3][0].text, "latency_s");
  EXPECT_DOUBLE_EQ(Real(r.rows[3][4]), 2.0);
}

// Bug report: compare dropped the metrics only one run has, and its
// columns named runs by id alone.
TEST_F(NamedQueries, CompareShowsAMetricOnlyOneRunHasAndWhatEachRunIs) {
  RunRecord first = SampleRun(1, 1);
  first.metrics.push_back({"noc_max_link_utilization", 0.9, "fraction"});
  int64_t a = store_.WriteRun(first);
  int64_t b = store_.WriteRun(SampleRun(2, 1));
  QueryResult r = CompareQuery(store_, a, b);
  ASSERT_GE(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][0].text, "system");
  EXPECT_EQ(r.rows[0][2].text, "tiny_npu_1");
  EXPECT_EQ(r.rows[0][3].text, "tiny_npu_2");
  EXPECT_EQ(r.rows[1][0].text, "workload");
  EXPECT_EQ(r.rows[1][2].text, "llama-7b decode batch=1");
  EXPECT_EQ(r.rows[1][3].text, "llama-7b decode batch=2");
  bool found = false;
  for (const auto& row : r.rows) {
    if (row[0].text != "noc_max_link_utilization") continue;
    found = true;
    EXPECT_EQ(row[1].text, "fraction");
    EXPECT_DOUBLE_EQ(Real(row[2]), 0.9);
    EXPECT_TRUE(row[3].is_null());
    EXPECT_TRUE(row[4].is_null());
  }
  EXPECT_TRUE(found);
}

TEST_F(NamedQueries, ParetoKeepsOnlyRunsThatNoOtherRunBeatsOnBothAxes) {
  int64_t p1 = store_.WriteRun(RunWithMetrics("a", 1, 5));
  int64_t p2 = store_.WriteRun(RunWithMetrics("b", 2, 3));
  store_.WriteRun(RunWithMetrics("c", 3, 4));  // beaten by (2, 3)
  int64_t p4 = store_.WriteRun(RunWithMetrics("d", 4, 1));
  int64_t tie = store_.WriteRun(RunWithMetrics("e", 2, 3));
  store_.WriteRun(SampleRun(9, 0));  // lacks area_mm2: left out

  QueryResult r = ParetoQuery(store_, {"area_mm2", "latency_s"});
  std::vector<std::string> ids;
  for (const auto& row : r.rows) ids.push_back(row[0].text);
  EXPECT_EQ(ids, (std::vector<std::string>{std::to_string(p1), std::to_string(p2),
                                           std::to_string(tie), std::to_string(p4)}));
  EXPECT_EQ(r.columns[3], "area_mm2");

  ParetoAxes bigger_y_is_better{"area_mm2", "latency_s", false, true};
  QueryResult flipped = ParetoQuery(store_, bigger_y_is_better);
  ASSERT_EQ(flipped.rows.size(), 1u);
  EXPECT_EQ(flipped.rows[0][0].text, std::to_string(p1));
}

TEST_F(NamedQueries, ParetoOnAMissingMetricListsTheMetricsThatExist) {
  store_.WriteRun(RunWithMetrics("a", 1, 5));
  try {
    ParetoQuery(store_, {"area_mm2", "no_such_metric"});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("latency_s"));
  }
}

}  // namespace
}  // namespace dsasim::store
