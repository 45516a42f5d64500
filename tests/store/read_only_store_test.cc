// A store opened read-only reads everything and writes nothing, whatever
// SQL it is handed (`dsasim query --sql` hands it the user's).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/error.h"
#include "tests/store/sample_run.h"
#include "tools/store/read_only_open.h"
#include "tools/store/read_only_policy.h"
#include "tools/store/result_store.h"

namespace dsasim::store {
namespace {

using ::testing::HasSubstr;
using testing::SampleRun;
using testing::TempDatabase;

class ReadOnlyStore : public ::testing::Test {
 protected:
  ReadOnlyStore() : db_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    ResultStore::Open(db_.path(), ResultStore::Mode::kReadWrite)
        .WriteRun(SampleRun(1, 3));
  }

  ResultStore OpenReadOnly() {
    return ResultStore::Open(db_.path(), ResultStore::Mode::kReadOnly);
  }

  std::string QueryError(const std::string& sql) {
    ResultStore store = OpenReadOnly();
    try {
      store.Query(sql);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

  std::filesystem::path Beside(const std::string& name) const {
    return db_.path().string() + "." + name;
  }

  TempDatabase db_;
};

// Bug: `dsasim query --sql "VACUUM INTO '/any/path'"` wrote a full copy of
// the database anywhere, overwriting an existing file.
TEST_F(ReadOnlyStore, RefusesVacuumIntoAndWritesNoFile) {
  std::filesystem::path target = Beside("copy");
  std::filesystem::remove(target);
  EXPECT_THAT(QueryError("VACUUM INTO '" + target.string() + "'"), HasSubstr("refused"));
  EXPECT_FALSE(std::filesystem::exists(target));
  // An existing empty file is what VACUUM INTO overwrote.
  { std::ofstream empty(target); }
  EXPECT_THAT(QueryError("VACUUM INTO '" + target.string() + "'"), HasSubstr("refused"));
  EXPECT_EQ(std::filesystem::file_size(target), 0u);
  std::filesystem::remove(target);
  EXPECT_THAT(QueryError("VACUUM"), HasSubstr("refused"));
}

TEST_F(ReadOnlyStore, RefusesEveryWriteAttachAndSettingPragmaSayingWhatItTried) {
  std::filesystem::path attached = Beside("attached");
  std::filesystem::remove(attached);
  const std::pair<std::string, std::string> refused[] = {
      {"DELETE FROM runs", "delete from table runs"},
      {"INSERT INTO metrics VALUES (1, 'x', 1, 's')", "insert into table metrics"},
      {"UPDATE runs SET seed = 0", "update table runs"},
      {"CREATE TABLE t (x)", "refused"},
      {"CREATE TEMP TABLE t (x)", "refused"},
      {"CREATE TEMP VIEW v AS SELECT 1", "refused"},
      {"DROP TABLE ops", "refused"},
      {"ALTER TABLE runs ADD COLUMN x", "refused"},
      {"ATTACH '" + attached.string() + "' AS other", "attach"},
      {"PRAGMA query_only = 0", "PRAGMA query_only = 0"},
      {"PRAGMA user_version = 5", "PRAGMA user_version = 5"},
      {"PRAGMA journal_mode = DELETE", "refused"},
      {"PRAGMA wal_checkpoint", "refused"},
      {"BEGIN", "refused"},
      {"SAVEPOINT s", "refused"},
      {"ANALYZE", "refused"},
      {"REINDEX", "refused"},
  };
  for (const auto& [sql, says] : refused) {
    std::string error = QueryError(sql);
    EXPECT_THAT(error, HasSubstr("read-only")) << sql;
    EXPECT_THAT(error, HasSubstr(says)) << sql;
  }
  EXPECT_FALSE(std::filesystem::exists(attached));
  // Nothing changed.
  ResultStore store = OpenReadOnly();
  EXPECT_EQ(store.ListRuns().size(), 1u);
  EXPECT_EQ(store.Query("PRAGMA user_version").rows[0][0].text, "0");
}

TEST_F(ReadOnlyStore,
       ReadsWithJoinsRecursiveCtesTableValuedFunctionsAndReportingPragmas) {
  ResultStore store = OpenReadOnly();
  EXPECT_EQ(store
                .Query("SELECT count(*) FROM ops o JOIN runs r ON r.id = o.run_id "
                       "WHERE json_extract(r.parameters, '$.batch') = 1")
                .rows[0][0]
                .text,
            "3");
  EXPECT_EQ(store
                .Query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 4) SELECT sum(i) FROM n")
                .rows[0][0]
                .text,
            "10");
  EXPECT_EQ(store.Query("SELECT count(*) FROM json_each('[1, 2, 3]')").rows[0][0].text,
            "3");
  EXPECT_EQ(store.Query("SELECT name FROM pragma_table_info('runs') WHERE cid = 0")
                .rows[0][0]
                .text,
            "id");
  EXPECT_FALSE(store.Query("PRAGMA table_info(metrics)").rows.empty());
  EXPECT_EQ(store.Query("PRAGMA query_only").rows[0][0].text, "1");
  EXPECT_EQ(store.Query("PRAGMA integrity_check").rows[0][0].text, "ok");
}

TEST(ReadOnlyPolicy, RefusesAnActionItDoesNotKnow) {
  EXPECT_EQ(RefusedByReadOnlyPolicy(/*SQLITE_READ*/ 20, "runs", "id"), std::nullopt);
  EXPECT_NE(RefusedByReadOnlyPolicy(9999, nullptr, nullptr), std::nullopt);
  EXPECT_NE(RefusedByReadOnlyPolicy(/*SQLITE_PRAGMA*/ 19, "no_such_pragma", nullptr),
            std::nullopt);
}

TEST(SqliteFileUri, PercentEncodesWhatAUriWouldReadAsQueryOrEscape) {
  EXPECT_EQ(SqliteFileUri("/data/run?s #1%.db", "mode=ro"),
            "file:///data/run%3Fs%20%231%25.db?mode=ro");
  EXPECT_EQ(SqliteFileUri("/a/b.db", ""), "file:///a/b.db");
}

}  // namespace
}  // namespace dsasim::store
