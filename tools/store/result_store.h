// File: tools/store/result_store.h
//
// The SQLite result store: one file holds many runs, each written whole in
// one transaction. The schema is a public API (docs/results_schema.md).
//
// Example:
//   ResultStore store = ResultStore::Open(DefaultDatabasePath(),
//                                         ResultStore::Mode::kReadWrite);
//   if (!store.FindRunByConfigHash(record.config_hash)) {
//     int64_t id = store.WriteRun(record);
//   }
//   for (const RunSummary& run : store.ListRuns()) ...
//
// Contract:
//   - kReadWrite creates a missing file with the current schema; kReadOnly
//     requires the file to exist, never creates or changes it (SQLite may
//     leave empty -wal/-shm sidecar files beside it), reads files and
//     directories the user cannot write, and refuses every statement that
//     would write (read_only_open.h).
//   - Files in WAL mode with foreign keys on; a busy writer is waited for
//     (busy timeout) rather than failed at once.
//   - WriteRun is all or nothing: a crash, kill or error mid-write leaves no
//     trace of the run (no runs row, no orphan rows).
//   - Every error throws dsasim::ConfigError naming the file.
//   - Not thread-safe: one ResultStore per thread (open several on one file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/run_record.h"
#include "tools/store/query_result.h"
#include "tools/store/sqlite_connection.h"

namespace dsasim::store {

struct RunSummary {
  int64_t id = 0;
  std::string created;  // ISO-8601 UTC, e.g. 2025-01-31T12:00:00.000Z
  std::string system_name;
  std::string workload;
  std::string config_hash;
  std::string dsasim_version;
  uint64_t seed = 0;
  double wall_seconds = 0;
  uint64_t event_count = 0;
};

// A run as read back: its id and creation time, and the record as written.
struct StoredRun {
  int64_t id = 0;
  std::string created;
  RunRecord record;
};

// Called during WriteRun after every `every_rows` rows, inside the open
// transaction: progress reports for long writes, and the crash-safety test's
// place to kill the process mid-write.
struct WriteProgress {
  int64_t every_rows = 10000;
  std::function<void(int64_t rows_written)> on_rows;
};

class ResultStore {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  static ResultStore Open(const std::filesystem::path& path, Mode mode);

  // Checks, changing nothing and creating nothing, that Open(path,
  // kReadWrite) and WriteRun would succeed as far as they can be known in
  // advance: an existing file is a dsasim result database of a version this
  // dsasim reads or migrates, and it and its directory are writable; a
  // missing file's directory exists and is writable. `dsasim run` calls it
  // before simulating, so a bad --db costs no simulation. Throws
  // ConfigError naming the file. (The file may still change between the
  // check and the write; Open checks everything again.)
  static void CheckWritable(const std::filesystem::path& path);

  // Writes the whole run in one transaction and returns its id. Ids grow
  // and are never reused. REQUIRES: a kReadWrite store. parameters_json
  // and every non-empty lowering must be valid JSON (empty parameters are
  // stored as "{}", an empty lowering as NULL).
  int64_t WriteRun(const RunRecord& record, const WriteProgress* progress = nullptr);

  // The newest run with this config hash, if any.
  std::optional<int64_t> FindRunByConfigHash(std::string_view config_hash) const;
  // The newest run (largest id), if any.
  std::optional<int64_t> LatestRunId() const;
  // All runs, oldest first.
  std::vector<RunSummary> ListRuns() const;
  // Reads one run back with all its rows. Throws if there is no such run.
  StoredRun ReadRun(int64_t run_id) const;

  // Runs one SQL statement with `params` bound to its ?s, in order.
  QueryResult Query(std::string_view sql, const std::vector<SqlParam>& params = {}) const;

  const std::filesystem::path& path() const { return db_.path(); }

 private:
  explicit ResultStore(SqliteConnection db, Mode mode)
      : db_(std::move(db)), mode_(mode) {}

  // Long enough to wait out a sweep writer committing a large run; short
  // enough that a stuck lock becomes an error a person sees.
  static constexpr int kBusyTimeoutMs = 30000;

  SqliteConnection db_;
  Mode mode_;
};

// dsasim.db in the current directory.
std::filesystem::path DefaultDatabasePath();

}  // namespace dsasim::store
