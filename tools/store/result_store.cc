#include "tools/store/result_store.h"

#include <limits>
#include <type_traits>
#include <utility>

#include "sim/error.h"
#include "tools/store/read_only_open.h"
#include "tools/store/schema.h"

namespace dsasim::store {
namespace {

void BindParams(SqliteStatement& st, const std::vector<SqlParam>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            st.BindNull(index);
          } else {
            st.Bind(index, v);
          }
        },
        params[i]);
  }
}

SqlCell ReadCell(const SqliteStatement& st, int i) {
  switch (st.ColumnType(i)) {
    case SQLITE_INTEGER:
      return IntegerCell(st.ColumnInt64(i));
    case SQLITE_FLOAT:
      return RealCell(st.ColumnDouble(i));
    case SQLITE_TEXT:
      return TextCell(st.ColumnText(i));
    case SQLITE_BLOB:
      return {SqlCell::Type::kBlob, st.ColumnText(i)};
    default:
      return {};
  }
}

}  // namespace

ResultStore ResultStore::Open(const std::filesystem::path& path, Mode mode) {
  if (mode == Mode::kReadOnly) {
    SqliteConnection db = OpenForReading(path, kBusyTimeoutMs);
    PrepareSchema(db, /*writable=*/false);
    return ResultStore(std::move(db), mode);
  }
  SqliteConnection db =
      SqliteConnection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db.Exec("PRAGMA foreign_keys = ON");
  db.Exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  // The schema is checked before anything else touches the file, so a
  // foreign SQLite database is refused unchanged (not even switched to WAL).
  PrepareSchema(db, /*writable=*/true);
  {
    SqliteStatement wal = db.Prepare("PRAGMA journal_mode = WAL");
    if (!wal.Step() || wal.ColumnText(0) != "wal") {
      throw ConfigError(path.string() +
                        ": cannot switch the result database to WAL mode (is it on a "
                        "network file system?)");
    }
    // With WAL, NORMAL never corrupts and never exposes a partial run; a
    // power cut may lose the last committed runs, which a sweep re-runs
    // (their config hashes are then missing).
    db.Exec("PRAGMA synchronous = NORMAL");
  }
  return ResultStore(std::move(db), mode);
}

std::optional<int64_t> ResultStore::FindRunByConfigHash(std::string_view hash) const {
  SqliteStatement st = db_.Prepare("SELECT max(id) FROM runs WHERE config_hash = ?1");
  st.Bind(1, hash);
  if (!st.Step() || st.ColumnType(0) == SQLITE_NULL) return std::nullopt;
  return st.ColumnInt64(0);
}

std::optional<int64_t> ResultStore::LatestRunId() const {
  SqliteStatement st = db_.Prepare("SELECT max(id) FROM runs");
  if (!st.Step() || st.ColumnType(0) == SQLITE_NULL) return std::nullopt;
  return st.ColumnInt64(0);
}

std::vector<RunSummary> ResultStore::ListRuns() const {
  SqliteStatement st = db_.Prepare(
      "SELECT id, created, system_name, workload, config_hash, dsasim_version, seed, "
      "wall_seconds, event_count FROM runs ORDER BY id");
  std::vector<RunSummary> runs;
  while (st.Step()) {
    RunSummary& r = runs.emplace_back();
    r.id = st.ColumnInt64(0);
    r.created = st.ColumnText(1);
    r.system_name = st.ColumnText(2);
    r.workload = st.ColumnText(3);
    r.config_hash = st.ColumnText(4);
    r.dsasim_version = st.ColumnText(5);
    r.seed = static_cast<uint64_t>(st.ColumnInt64(6));
    r.wall_seconds = st.ColumnDouble(7);
    r.event_count = static_cast<uint64_t>(st.ColumnInt64(8));
  }
  return runs;
}

StoredRun ResultStore::ReadRun(int64_t run_id) const {
  StoredRun out;
  out.id = run_id;
  RunRecord& r = out.record;
  {
    SqliteStatement st = db_.Prepare(
        "SELECT created, system_name, system_text, workload, parameters, config_hash, "
        "dsasim_version, seed, wall_seconds, event_count FROM runs WHERE id = ?1");
    st.Bind(1, run_id);
    if (!st.Step()) {
      throw ConfigError(path().string() + ": no run " + std::to_string(run_id));
    }
    out.created = st.ColumnText(0);
    r.system_name = st.ColumnText(1);
    r.system_text = st.ColumnText(2);
    r.workload = st.ColumnText(3);
    r.parameters_json = st.ColumnText(4);
    r.config_hash = st.ColumnText(5);
    r.dsasim_version = st.ColumnText(6);
    r.seed = static_cast<uint64_t>(st.ColumnInt64(7));
    r.wall_seconds = st.ColumnDouble(8);
    r.event_count = static_cast<uint64_t>(st.ColumnInt64(9));
  }
  // Rows come back in the order they were written (rowid order).
  SqliteStatement metrics = db_.Prepare(
      "SELECT name, value, unit FROM metrics WHERE run_id = ?1 ORDER BY rowid");
  metrics.Bind(1, run_id);
  while (metrics.Step()) {
    // SQLite stores NaN as NULL; give the NaN back.
    double value = metrics.ColumnType(1) == SQLITE_NULL
                       ? std::numeric_limits<double>::quiet_NaN()
                       : metrics.ColumnDouble(1);
    r.metrics.push_back({metrics.ColumnText(0), value, metrics.ColumnText(2)});
  }
  SqliteStatement ops = db_.Prepare(
      "SELECT op_index, name, kind, layer, chip, core, start_ps, end_ps, flops, bytes, "
      "engine, bound, lowering FROM ops WHERE run_id = ?1 ORDER BY rowid");
  ops.Bind(1, run_id);
  while (ops.Step()) {
    OpRecord& op = r.ops.emplace_back();
    op.op_index = ops.ColumnInt64(0);
    op.name = ops.ColumnText(1);
    op.kind = ops.ColumnText(2);
    op.layer = static_cast<int32_t>(ops.ColumnInt64(3));
    op.chip = static_cast<int32_t>(ops.ColumnInt64(4));
    op.core = static_cast<int32_t>(ops.ColumnInt64(5));
    op.start_ps = ops.ColumnInt64(6);
    op.end_ps = ops.ColumnInt64(7);
    op.flops = ops.ColumnDouble(8);
    op.bytes = ops.ColumnDouble(9);
    op.engine = ops.ColumnText(10);
    op.bound = ops.ColumnText(11);
    op.lowering = ops.ColumnText(12);
  }
  SqliteStatement timeline = db_.Prepare(
      "SELECT component, start_ps, end_ps, busy_fraction, bytes, chip FROM timeline "
      "WHERE run_id = ?1 ORDER BY rowid");
  timeline.Bind(1, run_id);
  while (timeline.Step()) {
    r.timeline.push_back({timeline.ColumnText(0), timeline.ColumnInt64(1),
                          timeline.ColumnInt64(2), timeline.ColumnDouble(3),
                          timeline.ColumnDouble(4),
                          static_cast<int32_t>(timeline.ColumnInt64(5))});
  }
  SqliteStatement requests = db_.Prepare(
      "SELECT request_id, arrival_s, first_token_s, finish_s, input_tokens, "
      "output_tokens FROM requests WHERE run_id = ?1 ORDER BY rowid");
  requests.Bind(1, run_id);
  while (requests.Step()) {
    r.requests.push_back({requests.ColumnInt64(0), requests.ColumnDouble(1),
                          requests.ColumnDouble(2), requests.ColumnDouble(3),
                          requests.ColumnInt64(4), requests.ColumnInt64(5)});
  }
  return out;
}

QueryResult ResultStore::Query(std::string_view sql,
                               const std::vector<SqlParam>& params) const {
  SqliteStatement st = db_.Prepare(sql);
  BindParams(st, params);
  QueryResult result;
  int n = st.ColumnCount();
  for (int i = 0; i < n; ++i) result.columns.push_back(st.ColumnName(i));
  while (st.Step()) {
    std::vector<SqlCell>& row = result.rows.emplace_back();
    row.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) row.push_back(ReadCell(st, i));
  }
  return result;
}

std::filesystem::path DefaultDatabasePath() { return "dsasim.db"; }

}  // namespace dsasim::store
