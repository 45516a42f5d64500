// File: tools/store/read_only_policy.h
//
// What a read-only connection to the result store may do, as an SQLite
// authorizer decision: read tables, call functions, run recursive CTEs,
// read table-valued functions (json_each, pragma_table_info) and ask the
// pragmas that only report. Everything else — INSERT, UPDATE,
// DELETE, CREATE, DROP, ALTER, ATTACH, DETACH, transactions, savepoints,
// ANALYZE, REINDEX and any pragma that sets something — is refused.
//
// Example:
//   std::optional<std::string> why =
//       RefusedByReadOnlyPolicy(SQLITE_DELETE, "runs", nullptr);
//   // *why == "delete from table runs"
//   RefusedByReadOnlyPolicy(SQLITE_PRAGMA, "user_version", nullptr);  // nullopt
//   RefusedByReadOnlyPolicy(SQLITE_PRAGMA, "user_version", "5");      // refused
//
// Contract:
//   - `action`, `arg1`, `arg2` are the first three arguments SQLite passes
//     to an sqlite3_set_authorizer callback (either argument may be null).
//   - Returns nullopt when the action only reads, else a short description
//     of what was refused, for the error message.
//   - An allow-list: an action code or pragma this file does not know is
//     refused, so a newer SQLite cannot open a write path by adding one.
//   - VACUUM does not pass through the authorizer at all; the connection
//     refuses it (and any statement SQLite reports as writing) by
//     sqlite3_stmt_readonly, see SqliteConnection::RestrictToReads.
#pragma once

#include <optional>
#include <string>

namespace dsasim::store {

std::optional<std::string> RefusedByReadOnlyPolicy(int action, const char* arg1,
                                                   const char* arg2);

}  // namespace dsasim::store
