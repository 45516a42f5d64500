#include "tools/store/result_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "sim/error.h"
#include "tests/store/sample_run.h"

namespace dsasim::store {
namespace {

using ::testing::HasSubstr;
using testing::SampleRun;
using testing::TempDatabase;

// Runs SQL on a raw connection, to build databases dsasim would not write.
void RawExec(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

std::string OpenError(const std::filesystem::path& path, ResultStore::Mode mode) {
  try {
    ResultStore::Open(path, mode);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

void ExpectSameRecord(const RunRecord& a, const RunRecord& b) {
  EXPECT_EQ(a.system_name, b.system_name);
  EXPECT_EQ(a.system_text, b.system_text);
  EXPECT_EQ(a.workload, b.workload);
  EXPECT_EQ(a.parameters_json, b.parameters_json);
  EXPECT_EQ(a.config_hash, b.config_hash);
  EXPECT_EQ(a.dsasim_version, b.dsasim_version);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.wall_seconds, b.wall_seconds);
  EXPECT_EQ(a.event_count, b.event_count);
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (size_t i = 0; i < a.metrics.size(); ++i) {
    EXPECT_EQ(a.metrics[i].name, b.metrics[i].name);
    EXPECT_EQ(a.metrics[i].value, b.metrics[i].value);
    EXPECT_EQ(a.metrics[i].unit, b.metrics[i].unit);
  }
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (size_t i = 0; i < a.ops.size(); ++i) {
    const OpRecord& x = a.ops[i];
    const OpRecord& y = b.ops[i];
    EXPECT_EQ(x.op_index, y.op_index);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.layer, y.layer);
    EXPECT_EQ(x.chip, y.chip);
    EXPECT_EQ(x.core, y.core);
    EXPECT_EQ(x.start_ps, y.start_ps);
    EXPECT_EQ(x.end_ps, y.end_ps);
    EXPECT_EQ(x.flops, y.flops);
    EXPECT_EQ(x.bytes, y.bytes);
    EXPECT_EQ(x.engine, y.engine);
    EXPECT_EQ(x.bound, y.bound);
    EXPECT_EQ(x.lowering, y.lowering);
  }
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (size_t i = 0; i < a.timeline.size(); ++i) {
    EXPECT_EQ(a.timeline[i].component, b.timeline[i].component);
    EXPECT_EQ(a.timeline[i].start_ps, b.timeline[i].start_ps);
    EXPECT_EQ(a.timeline[i].end_ps, b.timeline[i].end_ps);
    EXPECT_EQ(a.timeline[i].busy_fraction, b.timeline[i].busy_fraction);
    EXPECT_EQ(a.timeline[i].bytes, b.timeline[i].bytes);
    EXPECT_EQ(a.timeline[i].chip, b.timeline[i].chip);
  }
  ASSERT_EQ(a.requests.size(), b.requests.size());
  for (size_t i = 0; i < a.requests.size(); ++i) {
    EXPECT_EQ(a.requests[i].request_id, b.requests[i].request_id);
    EXPECT_EQ(a.requests[i].arrival_s, b.requests[i].arrival_s);
    EXPECT_EQ(a.requests[i].first_token_s, b.requests[i].first_token_s);
    EXPECT_EQ(a.requests[i].finish_s, b.requests[i].finish_s);
    EXPECT_EQ(a.requests[i].input_tokens, b.requests[i].input_tokens);
    EXPECT_EQ(a.requests[i].output_tokens, b.requests[i].output_tokens);
  }
}

TEST(ResultStore, RoundTripsEveryFieldOfARunRecord) {
  TempDatabase temp("round_trip");
  const auto& path = temp.path();
  RunRecord written = SampleRun(3, 12);
  written.timeline.back().chip = 1;
  int64_t id = 0;
  {
    ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
    id = store.WriteRun(written);
  }
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadOnly);
  StoredRun read = store.ReadRun(id);
  EXPECT_EQ(read.id, id);
  // ISO-8601 UTC with milliseconds: 2025-01-31T12:00:00.000Z
  ASSERT_EQ(read.created.size(), 24u) << read.created;
  EXPECT_EQ(read.created[10], 'T');
  EXPECT_EQ(read.created.back(), 'Z');
  ExpectSameRecord(written, read.record);
}

TEST(ResultStore, KeepsTwoRunsInOneFileApart) {
  TempDatabase temp("two_runs");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  RunRecord first = SampleRun(1, 5);
  RunRecord second = SampleRun(2, 9);
  int64_t a = store.WriteRun(first);
  int64_t b = store.WriteRun(second);
  EXPECT_LT(a, b);
  ExpectSameRecord(first, store.ReadRun(a).record);
  ExpectSameRecord(second, store.ReadRun(b).record);
  std::vector<RunSummary> runs = store.ListRuns();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, a);
  EXPECT_EQ(runs[0].system_name, "tiny_npu_1");
  EXPECT_EQ(runs[1].id, b);
  EXPECT_EQ(runs[1].seed, second.seed);
  EXPECT_EQ(store.LatestRunId(), b);
}

TEST(ResultStore, FindsARunByItsConfigHash) {
  TempDatabase temp("config_hash");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  int64_t a = store.WriteRun(SampleRun(1, 2));
  int64_t b = store.WriteRun(SampleRun(2, 2));
  EXPECT_EQ(store.FindRunByConfigHash("hash1"), a);
  EXPECT_EQ(store.FindRunByConfigHash("hash2"), b);
  EXPECT_EQ(store.FindRunByConfigHash("hash3"), std::nullopt);
}

TEST(ResultStore, UsesWalModeAndForeignKeys) {
  TempDatabase temp("wal");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  EXPECT_EQ(store.Query("PRAGMA journal_mode").rows.at(0).at(0).text, "wal");
  EXPECT_EQ(store.Query("PRAGMA foreign_keys").rows.at(0).at(0).text, "1");
  EXPECT_THROW(store.Query("INSERT INTO metrics (run_id, name, value, unit) "
                           "VALUES (999, 'x', 1, 's')"),
               ConfigError);
}

TEST(ResultStore, RefusesADatabaseWithANewerSchemaVersionNamingBothVersions) {
  TempDatabase temp("newer");
  const auto& path = temp.path();
  { ResultStore::Open(path, ResultStore::Mode::kReadWrite); }
  RawExec(path, "UPDATE schema_version SET version = 99");
  for (auto mode : {ResultStore::Mode::kReadWrite, ResultStore::Mode::kReadOnly}) {
    std::string message = OpenError(path, mode);
    EXPECT_THAT(message, HasSubstr(path.string()));
    EXPECT_THAT(message, HasSubstr("version 99"));
    EXPECT_THAT(message, HasSubstr("version 2 "));
  }
}

// Version 1 (one chip per run) had no timeline.chip; opening such a file
// read-write migrates it, and its rows read as chip 0.
TEST(ResultStore, MigratesAVersion1DatabaseAndItsTimelineRowsReadAsChip0) {
  TempDatabase temp("v1");
  const auto& path = temp.path();
  int64_t id = 0;
  {
    ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
    id = store.WriteRun(SampleRun(1, 4));
  }
  RawExec(path,
          "ALTER TABLE timeline DROP COLUMN chip; UPDATE schema_version SET version = 1");
  EXPECT_THAT(OpenError(path, ResultStore::Mode::kReadOnly), HasSubstr("version 1"));
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  EXPECT_EQ(store.Query("SELECT version FROM schema_version").rows.at(0).at(0).text, "2");
  StoredRun read = store.ReadRun(id);
  ASSERT_FALSE(read.record.timeline.empty());
  for (const TimelineRecord& t : read.record.timeline) EXPECT_EQ(t.chip, 0);
}

TEST(ResultStore, RefusesAnSqliteFileThatIsNotADsasimDatabaseAndLeavesItUnchanged) {
  TempDatabase temp("foreign");
  const auto& path = temp.path();
  RawExec(path, "CREATE TABLE customers (name TEXT)");
  std::string message = OpenError(path, ResultStore::Mode::kReadWrite);
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("not a dsasim result database"));
  // Not switched to WAL, no tables added.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST(ResultStore, RefusesAFileThatIsNotSqliteAtAll) {
  TempDatabase temp("not_sqlite");
  const auto& path = temp.path();
  std::ofstream(path) << "this is a text file, long enough to have a header....\n";
  std::string message = OpenError(path, ResultStore::Mode::kReadOnly);
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("not a database"));
}

TEST(ResultStore, ReadOnlyOpenOfAMissingFileFailsAndCreatesNothing) {
  TempDatabase temp("missing");
  const auto& path = temp.path();
  std::string message = OpenError(path, ResultStore::Mode::kReadOnly);
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ResultStore, ReadOnlyStoreRefusesToWriteARun) {
  TempDatabase temp("read_only_write");
  const auto& path = temp.path();
  { ResultStore::Open(path, ResultStore::Mode::kReadWrite); }
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadOnly);
  EXPECT_THROW(store.WriteRun(SampleRun(1, 1)), ConfigError);
}

TEST(ResultStore, ABadRowRollsBackTheWholeRunAndNamesTheRow) {
  TempDatabase temp("bad_row");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  RunRecord run = SampleRun(1, 20);
  run.ops[17].end_ps = run.ops[17].start_ps - 1;
  try {
    store.WriteRun(run);
    FAIL() << "an op ending before it starts was accepted";
  } catch (const ConfigError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("op 17"));
  }
  EXPECT_TRUE(store.ListRuns().empty());
  EXPECT_EQ(store.Query("SELECT count(*) FROM metrics").rows[0][0].text, "0");
  EXPECT_EQ(store.Query("SELECT count(*) FROM ops").rows[0][0].text, "0");
  // The connection is usable afterwards.
  store.WriteRun(SampleRun(2, 3));
  EXPECT_EQ(store.ListRuns().size(), 1u);
}

TEST(ResultStore, RejectsParametersThatAreNotJson) {
  TempDatabase temp("bad_json");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  RunRecord run = SampleRun(1, 1);
  run.parameters_json = "batch=1";
  EXPECT_THROW(store.WriteRun(run), ConfigError);
  EXPECT_TRUE(store.ListRuns().empty());
}

TEST(ResultStore, QueryRefusesASecondStatementAfterTheFirst) {
  TempDatabase temp("two_statements");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  EXPECT_THROW(store.Query("SELECT 1; DROP TABLE runs"), ConfigError);
  EXPECT_EQ(store.Query("SELECT count(*) FROM runs;").rows[0][0].text, "0");
}

TEST(ResultStore, QueryBindsParametersAndReportsTypes) {
  TempDatabase temp("query_params");
  const auto& path = temp.path();
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  QueryResult r = store.Query("SELECT ?1 AS i, ?2 AS d, ?3 AS s, ?4 AS n",
                              {int64_t{7}, 0.5, std::string("x"), nullptr});
  ASSERT_EQ(r.columns, (std::vector<std::string>{"i", "d", "s", "n"}));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0].type, SqlCell::Type::kInteger);
  EXPECT_EQ(r.rows[0][1].type, SqlCell::Type::kReal);
  EXPECT_EQ(r.rows[0][1].text, "0.5");
  EXPECT_EQ(r.rows[0][2].type, SqlCell::Type::kText);
  EXPECT_TRUE(r.rows[0][3].is_null());
}

TEST(ResultStore, DefaultDatabaseIsDsasimDbInTheCurrentDirectory) {
  EXPECT_EQ(DefaultDatabasePath(), std::filesystem::path("dsasim.db"));
}

}  // namespace
}  // namespace dsasim::store
