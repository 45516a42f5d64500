// File: tools/store/query_result.h
//
// The answer to a query over the result store: column names and rows of
// cells, each cell remembering its SQL type so JSON output can write numbers
// as numbers. Also the three ways the CLI prints one.
//
// Example:
//   QueryResult r = store.Query("SELECT name, value FROM metrics WHERE run_id = ?",
//                               {int64_t{3}});
//   std::cout << FormatText(r);   // aligned table for people
//   std::cout << FormatCsv(r);    // RFC 4180
//   std::cout << FormatJson(r);   // [{"name":"latency_s","value":0.0123}, ...]
//
// Contract: every row has exactly columns.size() cells. REAL cells carry
// their value printed with 17 significant digits (round-trips exactly);
// FormatText shortens them to 6 for reading.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dsasim::store {

struct SqlCell {
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  Type type = Type::kNull;
  // Empty for kNull; the decimal value for kInteger/kReal; the bytes otherwise.
  std::string text;

  bool is_null() const { return type == Type::kNull; }
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlCell>> rows;
};

// A bound parameter of a query, in order of the ?s.
using SqlParam = std::variant<std::nullptr_t, int64_t, double, std::string>;

SqlCell IntegerCell(int64_t value);
SqlCell RealCell(double value);
SqlCell TextCell(std::string value);

// Columns separated by two spaces; numbers right-aligned, text left-aligned;
// NULL shown as "-". An empty result prints the header and "(no rows)".
std::string FormatText(const QueryResult& result);
// Header line, then one line per row; NULL is an empty field.
std::string FormatCsv(const QueryResult& result);
// One JSON array of objects keyed by column name, then a newline.
std::string FormatJson(const QueryResult& result);

}  // namespace dsasim::store
