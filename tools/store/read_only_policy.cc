#include "tools/store/read_only_policy.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace dsasim::store {
namespace {

// Pragmas that report and never change anything, whatever their argument:
// the argument names a table, an index or a row limit.
constexpr std::string_view kReportingPragmas[] = {
    "foreign_key_check", "foreign_key_list", "index_info", "index_list", "index_xinfo",
    "integrity_check",   "quick_check",      "table_info", "table_list", "table_xinfo",
};

// Pragmas that report when asked without a value and set something when
// given one (`PRAGMA user_version = 5`, `PRAGMA query_only = 0`). Not
// journal_mode: SQLite counts even a bare `PRAGMA journal_mode` as writing.
constexpr std::string_view kGetterPragmas[] = {
    "application_id", "auto_vacuum",   "collation_list", "compile_options",
    "data_version",   "database_list", "encoding",       "foreign_keys",
    "freelist_count", "function_list", "module_list",    "page_count",
    "page_size",      "pragma_list",   "query_only",     "schema_version",
    "user_version",
};

bool Contains(const auto& list, std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

std::string Lower(const char* s) {
  std::string out = s != nullptr ? s : "";
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Name(const char* s) { return s != nullptr ? s : "?"; }

std::string DescribePragma(const char* name, const char* value) {
  std::string text = "run PRAGMA " + Name(name);
  if (value != nullptr) text += std::string(" = ") + value;
  return text;
}

}  // namespace

std::optional<std::string> RefusedByReadOnlyPolicy(int action, const char* arg1,
                                                   const char* arg2) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return std::nullopt;
    case SQLITE_PRAGMA: {
      std::string name = Lower(arg1);
      if (Contains(kReportingPragmas, name)) return std::nullopt;
      if (Contains(kGetterPragmas, name) && arg2 == nullptr) return std::nullopt;
      return DescribePragma(arg1, arg2) + " (only pragmas that report are allowed)";
    }
    case SQLITE_INSERT:
      return "insert into table " + Name(arg1);
    case SQLITE_UPDATE:
      // Reading an eponymous virtual table (json_each, pragma_table_info)
      // declares it, which SQLite authorizes as an update of sqlite_master
      // in memory. A real UPDATE of sqlite_master is a writing statement,
      // which the connection refuses by sqlite3_stmt_readonly.
      if (Lower(arg1) == "sqlite_master") return std::nullopt;
      return "update table " + Name(arg1);
    case SQLITE_DELETE:
      return "delete from table " + Name(arg1);
    case SQLITE_ATTACH:
      return "attach '" + Name(arg1) + "'";
    case SQLITE_DETACH:
      return "detach " + Name(arg1);
    case SQLITE_TRANSACTION:
      return "control a transaction (" + Name(arg1) + ")";
    case SQLITE_SAVEPOINT:
      return "savepoint " + Name(arg2);
    case SQLITE_ALTER_TABLE:
      return "alter table " + Name(arg2);
    case SQLITE_ANALYZE:
      return "analyze";
    case SQLITE_REINDEX:
      return "reindex";
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_VTABLE:
      return "create " + Name(arg1);
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_DROP_TEMP_VIEW:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_VTABLE:
      return "drop " + Name(arg1);
    default:
      return "SQLite action " + std::to_string(action);
  }
}

}  // namespace dsasim::store
