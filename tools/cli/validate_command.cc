// `dsasim validate`: the real-hardware comparison. For every reference table
// (tools/validate/reference/), an error table — shape, measured, simulated,
// error — and a MAPE summary; `--json` prints one object mapping each table
// to its MAPE as a fraction, for scripts and CI.
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
      "table", po::value<std::string>(), "run one table (e.g. a100_gemm)");
  po::variables_map vm;
  if (auto exit = ParseOrExit("validate", args, opts, vm,
                              "dsasim validate [--json] [--table NAME]")) {
    return *exit;
  }
  std::vector<const validate::TableSpec*> specs;
  try {
    if (vm.count("table")) {
      specs.push_back(&validate::FindTable(vm["table"].as<std::string>()));
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

  if (vm.count("json")) {
    JsonWriter json;
    json.BeginObject();
    for (const validate::TableResult& r : results) json.Key(r.name).Number(r.mape);
    json.EndObject();
    std::cout << json.str() << "\n";
    return kExitOk;
  }
  for (const validate::TableResult& r : results) PrintTable(r);
  std::cout << "MAPE summary\n";
  for (const validate::TableResult& r : results) {
    std::cout << "  " << r.name
              << std::string(18 - std::min<size_t>(17, r.name.size()), ' ')
              << Pad(Fixed(r.mape * 100, 1), 6) << " %  (" << r.rows.size() << " rows)\n";
  }
  return kExitOk;
}

}  // namespace dsasim::cli
