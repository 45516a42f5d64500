// `dsasim export --perfetto OUT.json`: one stored run as a Chrome trace-event
// file for ui.perfetto.dev. Reads the database read-only; the output file
// appears whole or not at all.
#include <iostream>
#include <string>
#include <vector>

#include "sim/error.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"
#include "tools/store/atomic_file.h"
#include "tools/store/named_queries.h"
#include "tools/store/perfetto_trace.h"
#include "tools/store/result_store.h"

namespace dsasim::cli {
namespace {

int RunExport(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("export");
  // clang-format off
  opts.add_options()
      ("perfetto", po::value<std::string>(), "write a Perfetto/Chrome trace to this file")
      ("run", po::value<std::string>()->default_value("latest"), "run id or 'latest'")
      ("db", po::value<std::string>()->default_value(store::DefaultDatabasePath().string()),
       "result database (must exist)");
  // clang-format on
  po::variables_map vm;
  if (auto exit = ParseOrExit("export", args, opts, vm,
                              "dsasim export --perfetto OUT.json [--run N|latest] "
                              "[--db PATH]")) {
    return *exit;
  }
  if (!vm.count("perfetto")) {
    std::cerr << "dsasim export: say what to export (--perfetto OUT.json)\n"
              << "Try 'dsasim export --help'.\n";
    return kExitUsage;
  }
  std::string out = vm["perfetto"].as<std::string>();
  try {
    store::ResultStore db = store::ResultStore::Open(vm["db"].as<std::string>(),
                                                     store::ResultStore::Mode::kReadOnly);
    store::StoredRun run =
        db.ReadRun(store::ResolveRunId(db, vm["run"].as<std::string>()));
    store::WriteFileAtomically(out, store::PerfettoTraceJson(run));
    std::cout << "wrote " << out << ": run " << run.id << ", " << run.record.ops.size()
              << " ops, " << run.record.timeline.size()
              << " timeline intervals (open it in https://ui.perfetto.dev)\n";
  } catch (const ConfigError& e) {
    std::cerr << "dsasim export: error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int ExportMain(const std::vector<std::string>& args) { return RunExport(args); }

}  // namespace dsasim::cli
