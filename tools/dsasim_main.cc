// dsasim: one binary, one subcommand per job. `dsasim --help` lists them.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/proto_io.h"
#include "tools/cli/command.h"
#include "tools/cli/version.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "Usage: dsasim <command> [options]\n"
         "       dsasim --version\n\n"
         "A cycle-approximate simulator of LLM inference accelerators.\n\n"
         "Commands:\n";
  for (const auto& cmd : dsasim::cli::AllCommands()) {
    out << "  " << cmd.name << std::string(10 - cmd.name.size(), ' ') << cmd.summary
        << (cmd.built ? "" : " [not built yet]") << "\n";
  }
  out << "\nRun 'dsasim <command> --help' for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  // Logs are for people and go to stderr; results go to stdout or the DB.
  spdlog::set_default_logger(spdlog::stderr_color_mt("dsasim"));
  spdlog::set_level(spdlog::level::warn);
  // Protobuf's own log lines become part of dsasim's errors, or debug logs.
  dsasim::RouteProtobufLogs();

  if (argc < 2) {
    PrintUsage(std::cerr);
    return dsasim::cli::kExitUsage;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help" || name == "--version") {
    if (argc > 2) {
      std::cerr << "dsasim: unexpected argument '" << argv[2] << "' after " << name
                << "\n";
      return dsasim::cli::kExitUsage;
    }
    if (name == "--version") {
      std::cout << dsasim::cli::VersionLine() << "\n";
    } else {
      PrintUsage(std::cout);
    }
    return dsasim::cli::kExitOk;
  }
  for (const auto& cmd : dsasim::cli::AllCommands()) {
    if (cmd.name != name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    try {
      return cmd.run(args);
    } catch (const std::exception& e) {
      std::cerr << "dsasim " << name << ": error: " << e.what() << "\n";
      return dsasim::cli::kExitFailure;
    }
  }
  std::cerr << "dsasim: unknown command '" << name << "'\n\n";
  PrintUsage(std::cerr);
  return dsasim::cli::kExitUsage;
}
