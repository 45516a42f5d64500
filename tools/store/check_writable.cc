// ResultStore::CheckWritable: what `dsasim run` checks of --db before it
// simulates. Kept apart from result_store.cc because it works on the file
// system as much as on SQLite.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sim/error.h"
#include "tools/store/read_only_open.h"
#include "tools/store/result_store.h"
#include "tools/store/schema.h"

namespace dsasim::store {
namespace {

namespace fs = std::filesystem;

// access(2) asks with the real user's rights, which is what SQLite will
// have when it opens the file. (Root passes every check, as it would pass
// every write.)
bool CanAccess(const fs::path& path, int mode) {
  return ::access(path.c_str(), mode) == 0;
}

[[noreturn]] void Refuse(const fs::path& db, const std::string& why) {
  throw ConfigError(db.string() + ": cannot store runs here: " + why);
}

}  // namespace

void ResultStore::CheckWritable(const fs::path& path) {
  if (path.empty()) throw ConfigError("--db is empty: name a result database file");
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    if (!fs::is_directory(dir, ec)) {
      Refuse(path, "directory " + dir.string() + " does not exist");
    }
    if (!CanAccess(dir, W_OK | X_OK)) {
      Refuse(path,
             "cannot create files in " + dir.string() + ": " + std::strerror(errno));
    }
    return;  // Open creates it, with the schema, when the run is written.
  }
  if (fs::is_directory(status)) Refuse(path, "it is a directory");
  if (!CanAccess(path, R_OK | W_OK)) {
    Refuse(path, std::string("cannot write the file: ") + std::strerror(errno));
  }
  // SQLite creates the -wal and -shm files beside the database (and
  // removes them when the last connection closes).
  const bool companions =
      fs::exists(path.string() + "-wal") && fs::exists(path.string() + "-shm");
  if (!companions && !CanAccess(dir, W_OK | X_OK)) {
    Refuse(path, "cannot create its -wal and -shm files in " + dir.string() + ": " +
                     std::strerror(errno));
  }
  SqliteConnection db = OpenForReading(path, kBusyTimeoutMs);
  InspectSchema(db);
}

}  // namespace dsasim::store
