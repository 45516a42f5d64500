#include "tools/store/schema.h"

#include <spdlog/spdlog.h>

#include <array>
#include <optional>
#include <string>

#include "sim/error.h"

namespace dsasim::store {
namespace {

// Version 1. Times are integer picoseconds from the start of the run (as in
// sim/run_record.h) except where a column name says _s (seconds, double).
// Foreign keys cascade so that deleting a run removes all of its rows.
constexpr char kCreateV1[] = R"sql(
CREATE TABLE schema_version (
  version INTEGER NOT NULL
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created TEXT NOT NULL,
  system_name TEXT NOT NULL,
  system_text TEXT NOT NULL,
  workload TEXT NOT NULL,
  parameters TEXT NOT NULL CHECK (json_valid(parameters)),
  config_hash TEXT NOT NULL,
  dsasim_version TEXT NOT NULL,
  seed INTEGER NOT NULL,
  wall_seconds REAL NOT NULL,
  event_count INTEGER NOT NULL
);
CREATE INDEX runs_by_config_hash ON runs(config_hash);
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL,
  unit TEXT NOT NULL,
  UNIQUE (run_id, name)
);
CREATE TABLE ops (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  op_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  layer INTEGER NOT NULL,
  chip INTEGER NOT NULL,
  core INTEGER NOT NULL,
  start_ps INTEGER NOT NULL,
  end_ps INTEGER NOT NULL CHECK (end_ps >= start_ps),
  flops REAL NOT NULL,
  bytes REAL NOT NULL,
  engine TEXT NOT NULL,
  bound TEXT NOT NULL,
  lowering TEXT CHECK (lowering IS NULL OR json_valid(lowering))
);
CREATE INDEX ops_by_run ON ops(run_id);
CREATE TABLE timeline (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  component TEXT NOT NULL,
  start_ps INTEGER NOT NULL,
  end_ps INTEGER NOT NULL CHECK (end_ps >= start_ps),
  busy_fraction REAL NOT NULL,
  bytes REAL NOT NULL
);
CREATE INDEX timeline_by_run ON timeline(run_id);
CREATE TABLE requests (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  request_id INTEGER NOT NULL,
  arrival_s REAL NOT NULL,
  first_token_s REAL NOT NULL,
  finish_s REAL NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL
);
CREATE INDEX requests_by_run ON requests(run_id);
INSERT INTO schema_version (version) VALUES (1);
)sql";

// One step of the upgrade chain: turns a database at version `from` into
// version `from + 1`. A new database is created at version 1 and brought up
// the same chain, so every database at one version has one layout.
struct Migration {
  int from;
  void (*apply)(SqliteConnection& db);
};

// Version 2 (systems of chips): a timeline row names its chip. Version 1
// runs were one chip, chip 0.
void MigrateV1ToV2(SqliteConnection& db) {
  db.Exec("ALTER TABLE timeline ADD COLUMN chip INTEGER NOT NULL DEFAULT 0;");
}

constexpr std::array<Migration, 1> kMigrations{{{1, &MigrateV1ToV2}}};

const Migration* FindMigration(int from) {
  for (const Migration& m : kMigrations) {
    if (m.from == from) return &m;
  }
  return nullptr;
}

int64_t CountTables(SqliteConnection& db) {
  SqliteStatement st = db.Prepare("SELECT count(*) FROM sqlite_master");
  st.Step();
  return st.ColumnInt64(0);
}

bool HasSchemaVersionTable(SqliteConnection& db) {
  SqliteStatement st = db.Prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  return st.Step();
}

std::optional<int64_t> ReadVersion(SqliteConnection& db) {
  SqliteStatement st = db.Prepare("SELECT max(version), count(*) FROM schema_version");
  st.Step();
  if (st.ColumnInt64(1) != 1 || st.ColumnType(0) != SQLITE_INTEGER) return std::nullopt;
  return st.ColumnInt64(0);
}

std::string Where(const SqliteConnection& db) { return db.path().string() + ": "; }

void Upgrade(SqliteConnection& db, int64_t version, bool writable) {
  if (!writable) {
    throw ConfigError(
        Where(db) + "written with result schema version " + std::to_string(version) +
        "; this dsasim reads version " + std::to_string(kSchemaVersion) +
        ". Open it once read-write (e.g. with 'dsasim run') to migrate it.");
  }
  for (int64_t v = version; v < kSchemaVersion; ++v) {
    FindMigration(static_cast<int>(v))->apply(db);  // InspectSchema checked the chain
    db.Exec("UPDATE schema_version SET version = " + std::to_string(v + 1));
  }
}

// Runs inside the caller's transaction.
void CheckOrCreate(SqliteConnection& db, bool writable) {
  int64_t version = InspectSchema(db);
  if (version == 0) {
    if (!writable) {
      throw ConfigError(Where(db) + "empty file, not a dsasim result database");
    }
    db.Exec(kCreateV1);
    Upgrade(db, 1, writable);
    return;
  }
  if (version < kSchemaVersion) {
    Upgrade(db, version, writable);
    spdlog::warn(
        "{}migrated from result schema version {} to {} (docs/results_schema.md)",
        Where(db), version, kSchemaVersion);
  }
}

}  // namespace

int64_t InspectSchema(SqliteConnection& db) {
  if (CountTables(db) == 0) return 0;
  if (!HasSchemaVersionTable(db)) {
    throw ConfigError(Where(db) +
                      "not a dsasim result database (it has no schema_version table)");
  }
  std::optional<int64_t> version = ReadVersion(db);
  if (!version || *version < 1) {
    throw ConfigError(Where(db) +
                      "unknown result schema version (schema_version must hold one "
                      "positive integer); this dsasim supports version " +
                      std::to_string(kSchemaVersion));
  }
  if (*version > kSchemaVersion) {
    throw ConfigError(Where(db) + "written with result schema version " +
                      std::to_string(*version) + ", newer than version " +
                      std::to_string(kSchemaVersion) +
                      " that this dsasim supports; use a newer dsasim");
  }
  for (int64_t v = *version; v < kSchemaVersion; ++v) {
    if (FindMigration(static_cast<int>(v)) == nullptr) {
      throw ConfigError(Where(db) + "result schema version " + std::to_string(*version) +
                        " has no migration to version " + std::to_string(kSchemaVersion) +
                        " in this dsasim");
    }
  }
  return *version;
}

void PrepareSchema(SqliteConnection& db, bool writable) {
  if (!writable) {
    CheckOrCreate(db, writable);
    return;
  }
  // IMMEDIATE takes the write lock before looking, so two processes that
  // open the same new file cannot both decide to create the schema.
  SqliteTransaction transaction(db);
  CheckOrCreate(db, writable);
  transaction.Commit();
}

}  // namespace dsasim::store
