// File: tools/store/read_only_open.h
//
// Opens a result database for reading only, as `dsasim query` and
// `dsasim export` need it: the file is never created, migrated or written,
// and a file the user cannot write is still read — even in a directory
// where SQLite cannot create the write-ahead log's -wal and -shm files.
//
// Example:
//   SqliteConnection db = OpenForReading("/shared/results.db", 30000);
//   PrepareSchema(db, /*writable=*/false);  // then only SELECTs pass
//
// Contract:
//   - Throws ConfigError naming the file when it does not exist or cannot
//     be read.
//   - The connection is SQLITE_OPEN_READONLY, has `PRAGMA query_only = 1`
//     and is restricted to reads (SqliteConnection::RestrictToReads), in
//     that order of defence.
//   - A WAL database whose -wal/-shm cannot be created (read-only
//     directory, no companions left beside it) is opened `immutable=1`,
//     but only when no -wal file exists: then every committed run is in the
//     main file, and immutable reads it without the WAL index. With a -wal
//     present SQLite reads it as usual (it needs no write access when -shm
//     exists too); if it cannot, the error says so instead of silently
//     missing the runs held in the -wal.
//   - Immutable means no locking: a writer that can write the directory and
//     checkpoints during the read could show the reader a torn file. In a
//     directory the reader cannot write that is someone else's live sweep;
//     read a copy then.
#pragma once

#include <filesystem>
#include <string>

#include "tools/store/sqlite_connection.h"

namespace dsasim::store {

SqliteConnection OpenForReading(const std::filesystem::path& path, int busy_timeout_ms);

// `path` as an SQLite URI ("file:///abs/path?query"), every byte that is
// not plain in a path percent-encoded. `query` without the '?'.
std::string SqliteFileUri(const std::filesystem::path& path, const std::string& query);

}  // namespace dsasim::store
