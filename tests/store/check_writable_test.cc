// ResultStore::CheckWritable, what `dsasim run` checks of --db before it
// simulates: it refuses what the write would refuse, and changes nothing.
// (A file the user may not write is covered through the real binary, run
// as an unprivileged user: see store.cli.run_refuses_a_read_only_db_* .)
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/error.h"
#include "tests/store/sample_run.h"
#include "tools/store/result_store.h"

namespace dsasim::store {
namespace {

using ::testing::HasSubstr;
using testing::TempDatabase;

std::string CheckError(const std::filesystem::path& path) {
  try {
    ResultStore::CheckWritable(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string Contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CheckWritable, AcceptsAMissingFileInAWritableDirectoryAndCreatesNothing) {
  TempDatabase temp("check_missing");
  EXPECT_EQ(CheckError(temp.path()), "");
  EXPECT_FALSE(std::filesystem::exists(temp.path()));
}

TEST(CheckWritable, AcceptsAResultDatabaseAndAnEmptyFile) {
  TempDatabase temp("check_existing");
  { ResultStore::Open(temp.path(), ResultStore::Mode::kReadWrite); }
  EXPECT_EQ(CheckError(temp.path()), "");
  std::filesystem::resize_file(temp.path(), 0);
  EXPECT_EQ(CheckError(temp.path()), "");
}

TEST(CheckWritable, RefusesAFileInADirectoryThatDoesNotExist) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / "dsasim_no_such_dir" / "runs.db";
  EXPECT_THAT(CheckError(path), HasSubstr("dsasim_no_such_dir does not exist"));
  EXPECT_THAT(CheckError(""), HasSubstr("empty"));
}

TEST(CheckWritable, RefusesADirectory) {
  EXPECT_THAT(CheckError(std::filesystem::temp_directory_path()),
              HasSubstr("is a directory"));
}

TEST(CheckWritable, RefusesAFileThatIsNotAResultDatabaseAndLeavesItUnchanged) {
  TempDatabase text("check_text");
  std::ofstream(text.path()) << std::string(600, 'x') << "\n";
  const std::string before = Contents(text.path());
  EXPECT_THAT(CheckError(text.path()), HasSubstr("not a database"));
  EXPECT_EQ(Contents(text.path()), before);

  TempDatabase foreign("check_foreign");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(foreign.path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "CREATE TABLE customers (name TEXT)", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  const std::string foreign_before = Contents(foreign.path());
  EXPECT_THAT(CheckError(foreign.path()), HasSubstr("not a dsasim result database"));
  EXPECT_EQ(Contents(foreign.path()), foreign_before);
}

TEST(CheckWritable, RefusesANewerSchemaVersion) {
  TempDatabase temp("check_newer");
  {
    ResultStore store = ResultStore::Open(temp.path(), ResultStore::Mode::kReadWrite);
    store.Query("UPDATE schema_version SET version = 99");
  }
  EXPECT_THAT(CheckError(temp.path()), HasSubstr("version 99"));
}

}  // namespace
}  // namespace dsasim::store
