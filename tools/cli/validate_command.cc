// `dsasim validate`: the real-hardware comparison. For every reference table
// (tools/validate/reference/), an error table — shape, measured, simulated,
// error — and a MAPE summary with each table's calibration goal; `--json`
// prints one object mapping each table to its MAPE as a fraction, for
// scripts and CI. `--check` exits 1 when a table misses its goal or a row
// runs faster than its roofline (the test suite's regression gate).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"
#include "tools/validate/validation_suite.h"

namespace dsasim::cli {
namespace {

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

void PrintTable(const validate::TableResult& r) {
  std::cout << r.name << "  (" << r.source << ")\n";
  std::cout << Pad("shape", 24) << Pad("measured us", 14) << Pad("simulated us", 14)
            << Pad("error %", 10) << "\n";
  for (const validate::RowResult& row : r.rows) {
    std::cout << Pad(row.shape, 24) << Pad(Fixed(row.measured_s * 1e6, 2), 14)
              << Pad(Fixed(row.simulated_s * 1e6, 2), 14)
              << Pad(Fixed(row.error * 100, 1), 10) << "\n";
  }
  std::cout << "MAPE " << Fixed(r.mape * 100, 1) << " %\n\n";
}

}  // namespace

int ValidateMain(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("validate");
  opts.add_options()("json", "print one JSON object: table name -> MAPE (fraction)")(
      "table", po::value<std::vector<std::string>>()->composing(),
      "run this table (e.g. a100_gemm); repeat for several; all when absent")(
      "check",
      "exit 1 if a table misses its calibration goal or a row beats its roofline");
  po::variables_map vm;
  if (auto exit = ParseOrExit("validate", args, opts, vm,
                              "dsasim validate [--json] [--check] [--table NAME]...")) {
    return *exit;
  }
  std::vector<const validate::TableSpec*> specs;
  try {
    if (vm.count("table")) {
      for (const std::string& name : vm["table"].as<std::vector<std::string>>())
        specs.push_back(&validate::FindTable(name));
    } else {
      for (const validate::TableSpec& s : validate::AllTables()) specs.push_back(&s);
    }
  } catch (const ConfigError& e) {
    std::cerr << "dsasim validate: " << e.what() << "\n";
    return kExitUsage;
  }

  std::vector<validate::TableResult> results;
  try {
    for (const validate::TableSpec* spec : specs)
      results.push_back(validate::RunTable(*spec));
  } catch (const std::exception& e) {
    std::cerr << "dsasim validate: " << e.what() << "\n";
    return kExitFailure;
  }

  std::vector<std::string> violations;
  for (const validate::TableResult& r : results) {
    for (std::string& v : validate::GoalViolations(r)) violations.push_back(std::move(v));
  }
  const int status = vm.count("check") && !violations.empty() ? kExitFailure : kExitOk;
  if (vm.count("check")) {
    for (const std::string& v : violations) std::cerr << "dsasim validate: " << v << "\n";
  }

  if (vm.count("json")) {
    JsonWriter json;
    json.BeginObject();
    for (const validate::TableResult& r : results) json.Key(r.name).Number(r.mape);
    json.EndObject();
    std::cout << json.str() << "\n";
    return status;
  }
  for (const validate::TableResult& r : results) PrintTable(r);
  std::cout << "MAPE summary\n";
  for (const validate::TableResult& r : results) {
    std::string goal = r.goal > 0 ? "goal <= " + Fixed(r.goal * 100, 0) + " %, " +
                                        (r.mape <= r.goal ? "met" : "MISSED")
                                  : "report only";
    std::cout << "  " << r.name
              << std::string(18 - std::min<size_t>(17, r.name.size()), ' ')
              << Pad(Fixed(r.mape * 100, 1), 6) << " %  (" << r.rows.size() << " rows; "
              << goal << ")\n";
  }
  return status;
}

}  // namespace dsasim::cli
