// File: tools/cli/command.h
//
// One `dsasim` subcommand: a name, a one-line summary and an entry point that
// parses its own options (Boost.program_options) and returns the exit code.
// Results go to stdout (or the database); logs go to stderr via spdlog.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dsasim::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotBuilt = 3;

struct Command {
  std::string_view name;
  std::string_view summary;
  // `args` excludes the program and subcommand names.
  int (*run)(const std::vector<std::string>& args);
  // False for a command that is planned but not implemented: it says so and
  // exits kExitNotBuilt, and `dsasim --help` marks it.
  bool built = true;
};

// Every subcommand, in the order `dsasim --help` lists them.
const std::vector<Command>& AllCommands();

}  // namespace dsasim::cli
