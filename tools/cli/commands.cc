#include <iostream>

#include "tools/cli/command.h"
#include "tools/cli/common_options.h"

namespace dsasim::cli {

int BenchMain(const std::vector<std::string>& args);
int ExportMain(const std::vector<std::string>& args);
int QueryMain(const std::vector<std::string>& args);
int InfoMain(const std::vector<std::string>& args);
int RunCommandMain(const std::vector<std::string>& args);
int GraphMain(const std::vector<std::string>& args);
int ValidateMain(const std::vector<std::string>& args);

namespace {

// A subcommand whose implementation has not landed yet says so and fails;
// it never prints placeholder results.
template <const char* kName>
int NotBuilt(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "dsasim " << kName << ": not built yet in this version.\n";
      return kExitOk;
    }
  }
  std::cerr << "dsasim " << kName << ": not built yet in this version\n";
  return kExitNotBuilt;
}

constexpr char kSweep[] = "sweep";
constexpr char kServe[] = "serve";
constexpr char kReport[] = "report";

}  // namespace

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands{
      {"run", "simulate one workload on one system, store the run", &RunCommandMain},
      {"graph", "build, validate, convert and inspect operator graphs", &GraphMain},
      {"sweep", "run a design-space sweep (threads or MPI)", &NotBuilt<kSweep>, false},
      {"serve", "simulate a serving scenario (arrivals, batching)", &NotBuilt<kServe>,
       false},
      {"query", "named and raw SQL queries over the result store", &QueryMain},
      {"export", "export a run (Perfetto trace)", &ExportMain},
      {"report", "write a self-contained HTML report", &NotBuilt<kReport>, false},
      {"info", "list component types, parameters and presets", &InfoMain},
      {"validate", "compare against reference measurements", &ValidateMain},
      {"bench", "speed benchmarks (kernel, simulation)", &BenchMain},
  };
  return commands;
}

}  // namespace dsasim::cli
