#include "tools/validate/reference_table.h"

#include <charconv>
#include <span>

#include "sim/embedded_file.h"
#include "sim/error.h"

std::span<const dsasim::EmbeddedFile> EmbeddedReferenceTables();

namespace dsasim::validate {
namespace {

std::vector<std::string_view> SplitCells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string_view cell = line.substr(start, comma - start);
    while (!cell.empty() && (cell.front() == ' ')) cell.remove_prefix(1);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\r'))
      cell.remove_suffix(1);
    cells.push_back(cell);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

double ReferenceTable::Value(size_t row, std::string_view column) const {
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c] == column) return rows.at(row).at(c);
  }
  throw ConfigError("reference table '" + name + "' has no column '" +
                    std::string(column) + "'");
}

ReferenceTable ParseReferenceTable(std::string_view name, std::string_view text) {
  ReferenceTable table;
  table.name = std::string(name);
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      line.remove_prefix(1);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (!table.source.empty()) table.source += " ";
      table.source += std::string(line);
      continue;
    }
    std::vector<std::string_view> cells = SplitCells(line);
    if (table.columns.empty()) {
      for (std::string_view c : cells) table.columns.emplace_back(c);
      continue;
    }
    auto where = [&] { return std::string(name) + ":" + std::to_string(line_number); };
    if (cells.size() != table.columns.size()) {
      throw ConfigError(where() + ": " + std::to_string(cells.size()) +
                        " cells, header has " + std::to_string(table.columns.size()));
    }
    std::vector<double> row;
    for (std::string_view cell : cells) {
      double v = 0;
      auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc() || ptr != cell.data() + cell.size()) {
        throw ConfigError(where() + ": '" + std::string(cell) + "' is not a number");
      }
      row.push_back(v);
    }
    table.rows.push_back(std::move(row));
  }
  if (table.columns.empty())
    throw ConfigError("reference table '" + table.name + "' is empty");
  return table;
}

ReferenceTable EmbeddedReferenceTable(std::string_view name) {
  std::string known;
  for (const EmbeddedFile& f : EmbeddedReferenceTables()) {
    if (f.name == name) return ParseReferenceTable(name, f.text);
    known += (known.empty() ? "" : ", ") + std::string(f.name);
  }
  throw ConfigError("no reference table '" + std::string(name) + "'; known: " + known);
}

}  // namespace dsasim::validate
