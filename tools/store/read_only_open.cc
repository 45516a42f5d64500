#include "tools/store/read_only_open.h"

#include <cctype>
#include <cstdio>

#include "sim/error.h"

namespace dsasim::store {
namespace {

// Reads page 1 and, for a WAL database, opens the WAL: the first point at
// which SQLite finds out that it cannot create the -wal or -shm file.
void Probe(SqliteConnection& db) {
  SqliteStatement st = db.Prepare("SELECT count(*) FROM sqlite_master");
  st.Step();
}

// The failures SQLite reports when it would need to create or write the
// WAL companions of a file it may only read (SQLITE_READONLY_CANTINIT,
// SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN on the -shm, ...).
bool IsReadOnlyWalFailure(int extended_code) {
  int primary = extended_code & 0xff;
  return primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN;
}

SqliteConnection OpenWith(const std::filesystem::path& path, const std::string& uri,
                          int busy_timeout_ms) {
  SqliteConnection db =
      SqliteConnection::Open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, uri);
  db.Exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
  db.Exec("PRAGMA query_only = 1");
  return db;
}

}  // namespace

std::string SqliteFileUri(const std::filesystem::path& path, const std::string& query) {
  std::string uri = "file://";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      uri += hex;
    }
  }
  return query.empty() ? uri : uri + "?" + query;
}

SqliteConnection OpenForReading(const std::filesystem::path& path, int busy_timeout_ms) {
  if (!std::filesystem::exists(path)) {
    throw ConfigError(path.string() + ": no such result database");
  }
  SqliteConnection db = OpenWith(path, SqliteFileUri(path, "mode=ro"), busy_timeout_ms);
  try {
    Probe(db);
  } catch (const ConfigError& e) {
    if (!IsReadOnlyWalFailure(db.last_error_code())) throw;
    if (std::filesystem::exists(path.string() + "-wal")) {
      // Runs may sit in the -wal; reading without it would silently miss
      // them.
      throw ConfigError(std::string(e.what()) + " (its -wal file may hold runs, and " +
                        "reading them needs a -shm file that cannot be created " +
                        "beside it: read a copy of both files in a writable " +
                        "directory, or let the owner open it once to checkpoint)");
    }
    // No -wal: the main file holds every committed run, so reading it as
    // immutable (no WAL index, no locks) reads exactly what is committed.
    db = OpenWith(path, SqliteFileUri(path, "mode=ro&immutable=1"), busy_timeout_ms);
    Probe(db);
  }
  db.RestrictToReads();
  return db;
}

}  // namespace dsasim::store
