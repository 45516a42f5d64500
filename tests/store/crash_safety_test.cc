// A run killed mid-write must leave nothing behind. The child process is
// killed by SIGKILL from inside WriteRun's progress hook, so the kill lands
// mid-transaction every time (no sleeps, no races with the writer's speed).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/store/sample_run.h"
#include "tools/store/result_store.h"

namespace dsasim::store {
namespace {

using testing::SampleRun;
using testing::TempDatabase;

constexpr int kOps = 200000;
constexpr int64_t kKillAfterRows = 150000;

// Child side: write one good run, then start a large one and die in it.
// Exits with a distinct code on every way the kill could fail to happen.
[[noreturn]] void WriteAndDie(const std::filesystem::path& path) {
  try {
    ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
    store.WriteRun(SampleRun(1, 10));
    RunRecord big = SampleRun(2, kOps);
    WriteProgress progress;
    progress.every_rows = 10000;
    progress.on_rows = [](int64_t rows) {
      if (rows >= kKillAfterRows) ::raise(SIGKILL);
    };
    store.WriteRun(big, &progress);
  } catch (...) {
    ::_exit(2);
  }
  ::_exit(3);  // WriteRun finished: the hook never fired.
}

int64_t Count(const ResultStore& store, const std::string& table) {
  return std::stoll(store.Query("SELECT count(*) FROM " + table).rows[0][0].text);
}

TEST(CrashSafety, AWriterKilledMidTransactionLeavesNoPartialRunAndNoOrphanRows) {
  TempDatabase temp("crash");
  const auto& path = temp.path();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) WriteAndDie(path);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  // The killed transaction had written rows (into the WAL) before dying.
  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
  std::vector<RunSummary> runs = store.ListRuns();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].system_name, "tiny_npu_1");
  EXPECT_EQ(Count(store, "ops"), 10);
  EXPECT_EQ(Count(store, "metrics"), 3);
  EXPECT_EQ(Count(store, "timeline"), 3);
  EXPECT_EQ(Count(store, "requests"), 2);
  for (const char* table : {"metrics", "ops", "timeline", "requests"}) {
    EXPECT_EQ(std::stoll(store
                             .Query(std::string("SELECT count(*) FROM ") + table +
                                    " WHERE run_id NOT IN (SELECT id FROM runs)")
                             .rows[0][0]
                             .text),
              0)
        << table;
  }
  EXPECT_EQ(store.Query("PRAGMA integrity_check").rows[0][0].text, "ok");
  // The database stays writable after the crash.
  EXPECT_GT(store.WriteRun(SampleRun(3, 5)), runs[0].id);
}

TEST(CrashSafety, AWriterKilledBeforeItsFirstRunLeavesZeroRuns) {
  TempDatabase temp("crash_empty");
  const auto& path = temp.path();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadWrite);
      WriteProgress progress;
      progress.every_rows = 1000;
      progress.on_rows = [](int64_t) { ::raise(SIGKILL); };
      store.WriteRun(SampleRun(1, kOps), &progress);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));

  ResultStore store = ResultStore::Open(path, ResultStore::Mode::kReadOnly);
  EXPECT_TRUE(store.ListRuns().empty());
  for (const char* table : {"runs", "metrics", "ops", "timeline", "requests"}) {
    EXPECT_EQ(Count(store, table), 0) << table;
  }
}

}  // namespace
}  // namespace dsasim::store
