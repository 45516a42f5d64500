// File: tools/store/schema.h
//
// The result database's schema (docs/results_schema.md is its public
// description) and the check every connection makes before touching it.
//
// Example:
//   SqliteConnection db = SqliteConnection::Open(path, flags);
//   PrepareSchema(db, /*writable=*/true);  // creates v1 in an empty file
//
// Contract:
//   - An empty file gets the current schema (writable connections only).
//   - A file written by a newer dsasim, or with an unknown version, is
//     refused with a message naming the file, its version and ours.
//   - A SQLite file that is not a dsasim result database is refused.
//   - An older version is upgraded by the migration chain in schema.cc, one
//     version at a time inside one transaction; a read-only connection
//     refuses it instead (it cannot write the upgrade).
#pragma once

#include <cstdint>

#include "tools/store/sqlite_connection.h"

namespace dsasim::store {

// Bump on any change to a table or column, and add a migration from the
// previous version in schema.cc.
inline constexpr int kSchemaVersion = 2;

void PrepareSchema(SqliteConnection& db, bool writable);

// The file's schema version, checked and changing nothing: 0 for a file
// with no tables (a new database), else a version this dsasim reads or can
// migrate. Throws ConfigError as PrepareSchema does for a foreign file, a
// newer or unknown version, or an older one without a migration chain.
int64_t InspectSchema(SqliteConnection& db);

}  // namespace dsasim::store
