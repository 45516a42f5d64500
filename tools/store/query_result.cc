#include "tools/store/query_result.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sim/json_writer.h"

namespace dsasim::store {
namespace {

bool IsNumber(const SqlCell& cell) {
  return cell.type == SqlCell::Type::kInteger || cell.type == SqlCell::Type::kReal;
}

std::string ForReading(const SqlCell& cell) {
  switch (cell.type) {
    case SqlCell::Type::kNull:
      return "-";
    case SqlCell::Type::kReal: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", std::strtod(cell.text.c_str(), nullptr));
      return buf;
    }
    case SqlCell::Type::kBlob:
      return "<blob " + std::to_string(cell.text.size()) + " bytes>";
    default: {
      // One line per row: a textproto or JSON cell would break the table.
      std::string flat = cell.text;
      std::replace(flat.begin(), flat.end(), '\n', ' ');
      return flat;
    }
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// Columns on a terminal: UTF-8 continuation bytes take no column (link
// names carry "→").
size_t DisplayWidth(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

}  // namespace

SqlCell IntegerCell(int64_t value) {
  return {SqlCell::Type::kInteger, std::to_string(value)};
}

SqlCell RealCell(double value) {
  if (!std::isfinite(value)) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return {SqlCell::Type::kReal, buf};
}

SqlCell TextCell(std::string value) { return {SqlCell::Type::kText, std::move(value)}; }

std::string FormatText(const QueryResult& result) {
  size_t n = result.columns.size();
  std::vector<std::vector<std::string>> shown;
  std::vector<size_t> width(n);
  std::vector<bool> numeric(n, true);
  for (size_t c = 0; c < n; ++c) width[c] = DisplayWidth(result.columns[c]);
  for (const auto& row : result.rows) {
    std::vector<std::string>& line = shown.emplace_back();
    for (size_t c = 0; c < n; ++c) {
      line.push_back(ForReading(row[c]));
      width[c] = std::max(width[c], DisplayWidth(line.back()));
      if (!IsNumber(row[c]) && !row[c].is_null()) numeric[c] = false;
    }
  }
  auto append_line = [&](const std::vector<std::string>& cells, std::string& out) {
    std::string line;
    for (size_t c = 0; c < n; ++c) {
      std::string pad(width[c] - DisplayWidth(cells[c]), ' ');
      if (c > 0) line += "  ";
      line += numeric[c] ? pad + cells[c] : cells[c] + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  std::string out;
  append_line(result.columns, out);
  std::vector<std::string> rule;
  for (size_t c = 0; c < n; ++c) rule.push_back(std::string(width[c], '-'));
  append_line(rule, out);
  for (const auto& line : shown) append_line(line, out);
  if (result.rows.empty()) out += "(no rows)\n";
  return out;
}

std::string FormatCsv(const QueryResult& result) {
  std::string out;
  for (size_t c = 0; c < result.columns.size(); ++c) {
    if (c > 0) out += ',';
    out += CsvField(result.columns[c]);
  }
  out += "\n";
  for (const auto& row : result.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += CsvField(row[c].text);
    }
    out += "\n";
  }
  return out;
}

std::string FormatJson(const QueryResult& result) {
  JsonWriter json;
  json.BeginArray();
  for (const auto& row : result.rows) {
    json.BeginObject();
    for (size_t c = 0; c < row.size(); ++c) {
      json.Key(result.columns[c]);
      const SqlCell& cell = row[c];
      switch (cell.type) {
        case SqlCell::Type::kNull:
          json.Null();
          break;
        case SqlCell::Type::kInteger:
          json.Int(std::strtoll(cell.text.c_str(), nullptr, 10));
          break;
        case SqlCell::Type::kReal:
          json.Number(std::strtod(cell.text.c_str(), nullptr));
          break;
        default:
          json.String(cell.text);
      }
    }
    json.EndObject();
  }
  json.EndArray();
  return json.str() + "\n";
}

}  // namespace dsasim::store
