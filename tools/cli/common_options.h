// File: tools/cli/common_options.h
//
// Options every subcommand shares (--help, --log-level) and the parsing glue
// that turns a bad option into a clear usage error.
//
// Example:
//   po::options_description opts = CommonOptions("run");
//   opts.add_options()("batch", po::value<int64_t>()->default_value(1), "...");
//   po::variables_map vm;
//   if (auto exit = ParseOrExit("run", args, opts, vm)) return *exit;
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dsasim::cli {

namespace po = boost::program_options;

po::options_description CommonOptions(const std::string& command);

// Parses `args` into `vm`, applies --log-level, and handles --help. Returns
// an exit code when the command should stop (help printed, bad usage), or
// nullopt to go on. Positional arguments go to the option named "positional"
// if the description has one.
std::optional<int> ParseOrExit(const std::string& command,
                               const std::vector<std::string>& args,
                               const po::options_description& opts, po::variables_map& vm,
                               const std::string& usage_line = "");

}  // namespace dsasim::cli
