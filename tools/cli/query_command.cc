// `dsasim query`: named questions and raw SQL over the result store, printed
// as an aligned table, CSV or JSON. Opens the database read-only: a query
// never creates, migrates or changes a file.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"
#include "tools/store/named_queries.h"
#include "tools/store/query_result.h"
#include "tools/store/result_store.h"

namespace dsasim::cli {
namespace {

using store::QueryResult;
using store::ResultStore;

struct NamedQuery {
  std::string_view name;
  std::string_view usage;
  // How many --run values it takes.
  size_t runs;
};

constexpr NamedQuery kNamedQueries[] = {
    {"runs", "runs                      every run in the database", 0},
    {"metrics", "metrics --run N           one run's metrics", 1},
    {"utilization", "utilization --run N       busy fraction per component", 1},
    {"bottlenecks", "bottlenecks --run N       op time per bound class and kind", 1},
    {"ops", "ops --run N               op breakdown by kind", 1},
    {"compare", "compare --run A --run B   metrics side by side, ratio B/A", 2},
    {"pareto", "pareto --x M --y M        runs on the Pareto front of two metrics", 0},
};

std::string UsageText() {
  std::string text =
      "dsasim query <name> [--run N|latest]... [--db PATH] [--csv|--json]\n"
      "       dsasim query --sql \"SELECT ...\" [--db PATH] [--csv|--json]\n\n"
      "Named queries:\n";
  for (const NamedQuery& q : kNamedQueries) text += "  " + std::string(q.usage) + "\n";
  text += "\nThe schema the SQL sees is in docs/results_schema.md.";
  return text;
}

const NamedQuery* FindNamedQuery(std::string_view name) {
  for (const NamedQuery& q : kNamedQueries) {
    if (q.name == name) return &q;
  }
  return nullptr;
}

QueryResult RunNamed(const ResultStore& db, const NamedQuery& q,
                     const std::vector<std::string>& runs, const po::variables_map& vm) {
  std::vector<int64_t> ids;
  for (const std::string& spec : runs) ids.push_back(store::ResolveRunId(db, spec));
  if (q.name == "runs") return store::RunsQuery(db);
  if (q.name == "metrics") return store::MetricsQuery(db, ids[0]);
  if (q.name == "utilization") return store::UtilizationQuery(db, ids[0]);
  if (q.name == "bottlenecks") return store::BottlenecksQuery(db, ids[0]);
  if (q.name == "ops") return store::OpBreakdownQuery(db, ids[0]);
  if (q.name == "compare") return store::CompareQuery(db, ids[0], ids[1]);
  store::ParetoAxes axes;
  axes.x_metric = vm["x"].as<std::string>();
  axes.y_metric = vm["y"].as<std::string>();
  axes.maximize_x = vm.count("maximize-x") > 0;
  axes.maximize_y = vm.count("maximize-y") > 0;
  return store::ParetoQuery(db, axes);
}

int Usage(const std::string& message) {
  std::cerr << "dsasim query: " << message << "\nTry 'dsasim query --help'.\n";
  return kExitUsage;
}

std::vector<std::string> Strings(const po::variables_map& vm, const char* option) {
  if (!vm.count(option)) return {};
  return vm[option].as<std::vector<std::string>>();
}

int RunQuery(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("query");
  // clang-format off
  opts.add_options()
      ("db", po::value<std::string>()->default_value(store::DefaultDatabasePath().string()),
       "result database (must exist)")
      ("run", po::value<std::vector<std::string>>(),
       "run id or 'latest'; compare takes two")
      ("sql", po::value<std::string>(), "one raw SQL statement instead of a named query")
      ("x", po::value<std::string>(), "pareto: metric on the x axis")
      ("y", po::value<std::string>(), "pareto: metric on the y axis")
      ("maximize-x", "pareto: larger x is better")
      ("maximize-y", "pareto: larger y is better")
      ("csv", "print CSV")
      ("json", "print one JSON array");
  // clang-format on
  po::variables_map vm;
  if (auto exit = ParseOrExit("query", args, opts, vm, UsageText(), 1)) return *exit;

  std::vector<std::string> names = Positionals(vm);
  std::vector<std::string> runs = Strings(vm, "run");
  if (vm.count("csv") && vm.count("json")) {
    return Usage("--csv and --json exclude each other");
  }
  if (vm.count("sql") && !names.empty()) {
    return Usage("give a named query or --sql, not both");
  }
  if (!vm.count("sql") && names.empty()) return Usage("name a query or give --sql");

  const NamedQuery* named = nullptr;
  if (!names.empty()) {
    named = FindNamedQuery(names[0]);
    if (named == nullptr) {
      std::string known;
      for (const NamedQuery& q : kNamedQueries) {
        if (!known.empty()) known += ", ";
        known += q.name;
      }
      return Usage("unknown query '" + names[0] + "' (known: " + known + ")");
    }
    if (runs.size() != named->runs) {
      return Usage(std::string(named->name) + " takes " + std::to_string(named->runs) +
                   " --run value(s), got " + std::to_string(runs.size()));
    }
    if (named->name == "pareto" && (!vm.count("x") || !vm.count("y"))) {
      return Usage("pareto needs --x METRIC and --y METRIC");
    }
  } else if (!runs.empty()) {
    return Usage("--run goes with a named query; with --sql, write the id into the SQL");
  }

  QueryResult result;
  try {
    ResultStore db =
        ResultStore::Open(vm["db"].as<std::string>(), ResultStore::Mode::kReadOnly);
    result =
        named ? RunNamed(db, *named, runs, vm) : db.Query(vm["sql"].as<std::string>());
  } catch (const ConfigError& e) {
    std::cerr << "dsasim query: error: " << e.what() << "\n";
    return kExitFailure;
  }
  if (vm.count("csv")) {
    std::cout << store::FormatCsv(result);
  } else if (vm.count("json")) {
    std::cout << store::FormatJson(result);
  } else {
    std::cout << store::FormatText(result);
  }
  return kExitOk;
}

}  // namespace

int QueryMain(const std::vector<std::string>& args) { return RunQuery(args); }

}  // namespace dsasim::cli
