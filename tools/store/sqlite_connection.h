// File: tools/store/sqlite_connection.h
//
// Thin RAII wrappers over the SQLite C API: a connection that knows its file
// (so every error names it) and a prepared statement. Only the result store
// uses them; nothing else in dsasim talks to SQLite.
//
// Example:
//   SqliteConnection db = SqliteConnection::Open(path, SQLITE_OPEN_READONLY);
//   SqliteStatement st = db.Prepare("SELECT id FROM runs WHERE config_hash = ?");
//   st.Bind(1, hash);
//   while (st.Step()) ids.push_back(st.ColumnInt64(0));
//
// Contract:
//   - Every failure throws dsasim::ConfigError carrying the file path, what
//     was being done and SQLite's own message.
//   - A statement must not outlive its connection.
//   - Bind(string_view) does not copy: the bytes must stay alive until the
//     next Step() or Reset() (that is what makes bulk inserts cheap).
//   - After RestrictToReads(), a statement that would write is refused
//     when it is prepared, with a message that says what it tried.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dsasim::store {

class SqliteConnection;

class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite.
  void Bind(int index, int64_t value);
  void Bind(int index, double value);
  void Bind(int index, std::string_view value);
  void BindNull(int index);

  // Runs one step: true while a row is available, false once done.
  bool Step();
  // Makes the statement runnable again. Bindings stay (as in SQLite), so a
  // bulk insert rebinds every parameter of each row.
  void Reset();

  int ColumnCount() const;
  std::string ColumnName(int i) const;
  int ColumnType(int i) const;  // SQLITE_INTEGER, SQLITE_FLOAT, ...
  int64_t ColumnInt64(int i) const;
  double ColumnDouble(int i) const;
  // NULL reads as the empty string.
  std::string ColumnText(int i) const;

 private:
  friend class SqliteConnection;
  SqliteStatement(sqlite3_stmt* stmt, const SqliteConnection* owner)
      : stmt_(stmt), owner_(owner) {}
  void Check(int rc, std::string_view what) const;

  sqlite3_stmt* stmt_ = nullptr;
  const SqliteConnection* owner_ = nullptr;
};

class SqliteConnection {
 public:
  // `flags` are sqlite3_open_v2 flags (SQLITE_OPEN_READONLY, ...). With a
  // non-empty `uri` (and SQLITE_OPEN_URI in flags) SQLite opens the URI
  // instead; `path` still names the file in every error.
  static SqliteConnection Open(const std::filesystem::path& path, int flags,
                               const std::string& uri = {});

  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&& other) noexcept;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // Runs one or more statements that return no rows of interest.
  void Exec(std::string_view sql);
  // Prepares exactly one statement; trailing SQL other than whitespace and
  // semicolons is an error (raw queries from the CLI must not smuggle a
  // second statement past the first).
  SqliteStatement Prepare(std::string_view sql) const;
  int64_t LastInsertRowId() const;
  // True inside BEGIN ... COMMIT (SQLite may end a transaction on its own
  // after some errors, so the rollback path asks rather than assumes).
  bool InTransaction() const;

  // From now on only reads: an authorizer (read_only_policy.h) refuses
  // every write, ATTACH and setting pragma, and Prepare refuses whatever
  // else SQLite reports as writing (sqlite3_stmt_readonly: VACUUM, VACUUM
  // INTO). Run the connection's own setup pragmas before calling this.
  void RestrictToReads();

  // SQLite's extended result code of the last failure (SQLITE_READONLY_...),
  // for callers that retry differently on some of them.
  int last_error_code() const { return sqlite3_extended_errcode(db_); }

  const std::filesystem::path& path() const { return path_; }
  // Throws ConfigError("<path>: <what>: <sqlite message>").
  [[noreturn]] void Fail(std::string_view what) const;

 private:
  friend class SqliteTransaction;
  SqliteConnection(sqlite3* db, std::filesystem::path path)
      : db_(db), path_(std::move(path)) {}

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  // Set by RestrictToReads: what the authorizer last refused, for the
  // error message. On the heap because SQLite keeps a pointer to it and
  // the connection moves.
  std::unique_ptr<std::string> refused_;
};

// Holds the write lock from construction (BEGIN IMMEDIATE, so a second
// writer waits at the start instead of failing half-way) until Commit();
// destruction without Commit() rolls everything back.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteConnection& db);
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  void Commit();

 private:
  SqliteConnection& db_;
  bool open_ = true;
};

}  // namespace dsasim::store
