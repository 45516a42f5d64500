// File: tools/validate/reference_table.h
//
// A measured reference table as shipped under tools/validate/reference/: a
// CSV whose leading `#` lines name its source, then a header row, then rows
// of numbers. The files are compiled into the binary (EmbedFiles.cmake), so
// `dsasim validate` needs no data directory.
//
// Example:
//   ReferenceTable t = ParseReferenceTable("gemm", text);
//   double ms = t.Value(0, "a100_latency_ms");
//
// Contract: every data row has as many cells as the header and every cell is
// a number; otherwise ConfigError naming the file, line and cell. Value()
// throws ConfigError for a column the header lacks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dsasim::validate {

struct ReferenceTable {
  std::string name;
  // The `#` lines, joined: where the numbers come from.
  std::string source;
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;

  double Value(size_t row, std::string_view column) const;
};

ReferenceTable ParseReferenceTable(std::string_view name, std::string_view text);

// The embedded CSV called `name` ("a100_mi210_gemm"), parsed; ConfigError
// listing the known names when there is none.
ReferenceTable EmbeddedReferenceTable(std::string_view name);

}  // namespace dsasim::validate
