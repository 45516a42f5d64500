#include "tools/store/sqlite_connection.h"

#include <cctype>
#include <optional>
#include <utility>

#include "sim/error.h"
#include "tools/store/read_only_policy.h"

namespace dsasim::store {
namespace {

// The sqlite3_set_authorizer callback of a read-only connection; `why`
// receives what a refused action tried.
int AuthorizeRead(void* why, int action, const char* arg1, const char* arg2,
                  const char* /*database*/, const char* /*trigger_or_view*/) {
  std::optional<std::string> refused = RefusedByReadOnlyPolicy(action, arg1, arg2);
  if (!refused) return SQLITE_OK;
  *static_cast<std::string*>(why) = std::move(*refused);
  return SQLITE_DENY;
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), owner_(other.owner_) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    owner_ = other.owner_;
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::Check(int rc, std::string_view what) const {
  if (rc != SQLITE_OK) owner_->Fail(what);
}

void SqliteStatement::Bind(int index, int64_t value) {
  Check(sqlite3_bind_int64(stmt_, index, value), "binding a parameter");
}

void SqliteStatement::Bind(int index, double value) {
  Check(sqlite3_bind_double(stmt_, index, value), "binding a parameter");
}

void SqliteStatement::Bind(int index, std::string_view value) {
  // SQLITE_STATIC: the caller keeps the bytes alive (see the header).
  Check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_STATIC),
        "binding a parameter");
}

void SqliteStatement::BindNull(int index) {
  Check(sqlite3_bind_null(stmt_, index), "binding a parameter");
}

bool SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  owner_->Fail("running '" + std::string(sqlite3_sql(stmt_)) + "'");
}

void SqliteStatement::Reset() { sqlite3_reset(stmt_); }

int SqliteStatement::ColumnCount() const { return sqlite3_column_count(stmt_); }

std::string SqliteStatement::ColumnName(int i) const {
  const char* name = sqlite3_column_name(stmt_, i);
  return name ? name : "";
}

int SqliteStatement::ColumnType(int i) const { return sqlite3_column_type(stmt_, i); }

int64_t SqliteStatement::ColumnInt64(int i) const {
  return sqlite3_column_int64(stmt_, i);
}

double SqliteStatement::ColumnDouble(int i) const {
  return sqlite3_column_double(stmt_, i);
}

std::string SqliteStatement::ColumnText(int i) const {
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

SqliteConnection SqliteConnection::Open(const std::filesystem::path& path, int flags,
                                        const std::string& uri) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(uri.empty() ? path.c_str() : uri.c_str(), &db, flags, nullptr);
  SqliteConnection connection(db, path);
  if (rc != SQLITE_OK) {
    if (db == nullptr) {
      throw ConfigError(path.string() + ": cannot open result database: out of memory");
    }
    connection.Fail("cannot open result database");
  }
  // Extended codes make messages like "database is locked" more precise.
  sqlite3_extended_result_codes(db, 1);
  return connection;
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      refused_(std::move(other.refused_)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    refused_ = std::move(other.refused_);
  }
  return *this;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

void SqliteConnection::Exec(std::string_view sql) {
  std::string copy(sql);  // sqlite3_exec wants a NUL-terminated string.
  if (sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    Fail("running '" + copy + "'");
  }
}

SqliteStatement SqliteConnection::Prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (refused_ != nullptr) refused_->clear();
  int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) Fail("preparing '" + std::string(sql) + "'");
  SqliteStatement statement(stmt, this);
  if (stmt == nullptr) {
    throw ConfigError(path_.string() + ": empty SQL statement");
  }
  if (refused_ != nullptr && !sqlite3_stmt_readonly(stmt)) {
    throw ConfigError(path_.string() + ": preparing '" + std::string(sql) +
                      "': refused, the database is open read-only and this statement "
                      "writes");
  }
  for (const char* p = tail; p != nullptr && p < sql.data() + sql.size(); ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
      throw ConfigError(path_.string() + ": only one SQL statement is allowed, but '" +
                        std::string(sql) + "' has more after '" +
                        std::string(sql.data(), tail) + "'");
    }
  }
  return statement;
}

int64_t SqliteConnection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::RestrictToReads() {
  refused_ = std::make_unique<std::string>();
  if (sqlite3_set_authorizer(db_, &AuthorizeRead, refused_.get()) != SQLITE_OK) {
    Fail("restricting the connection to reads");
  }
}

void SqliteConnection::Fail(std::string_view what) const {
  // SQLite says only "not authorized"; name what the policy refused.
  if (db_ != nullptr && sqlite3_errcode(db_) == SQLITE_AUTH && refused_ != nullptr &&
      !refused_->empty()) {
    throw ConfigError(path_.string() + ": " + std::string(what) +
                      ": refused, the database is open read-only and this statement "
                      "would " +
                      *refused_);
  }
  throw ConfigError(path_.string() + ": " + std::string(what) + ": " +
                    (db_ ? sqlite3_errmsg(db_) : "no connection"));
}

SqliteTransaction::SqliteTransaction(SqliteConnection& db) : db_(db) {
  db_.Exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
  if (open_ && db_.InTransaction()) {
    // Errors here cannot be reported from a destructor; SQLite rolls back an
    // unfinished transaction when the connection closes in any case.
    sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void SqliteTransaction::Commit() {
  db_.Exec("COMMIT");
  open_ = false;
}

}  // namespace dsasim::store
