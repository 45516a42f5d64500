// File: tools/cli/common_options.h
//
// Options every subcommand shares (--help, --log-level) and the parsing glue
// that turns a bad option or a stray argument into a clear usage error.
//
// Example:
//   po::options_description opts = CommonOptions("graph stats");
//   opts.add_options()("json", "print one JSON object");
//   po::variables_map vm;
//   if (auto exit = ParseOrExit("graph stats", args, opts, vm,
//                               "dsasim graph stats FILE [--json]", 1)) {
//     return *exit;
//   }
//   std::vector<std::string> files = Positionals(vm);   // at most one
//
// Contract: a command names how many positional arguments it takes; one more
// (any at all, for a command that takes none) is a usage error, exit 2, that
// names the argument. Nothing on the command line is silently ignored.
#pragma once

#include <boost/program_options.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace dsasim::cli {

namespace po = boost::program_options;

// For ParseOrExit's `max_positionals`: a command taking a list (FILE...).
inline constexpr size_t kAnyNumber = std::numeric_limits<size_t>::max();

po::options_description CommonOptions(const std::string& command);

// Parses `args` into `vm`, applies --log-level, and handles --help. Returns
// an exit code when the command should stop (help printed, bad usage), or
// nullopt to go on. Up to `max_positionals` positional arguments are kept
// for Positionals(); they are not options, so --help does not list them
// (the usage line names them).
std::optional<int> ParseOrExit(const std::string& command,
                               const std::vector<std::string>& args,
                               const po::options_description& opts, po::variables_map& vm,
                               const std::string& usage_line = "",
                               size_t max_positionals = 0);

// An integer option that must be >= 0 (a seed, a count), checked when
// ParseOrExit notifies: a negative value is a usage error naming the flag.
// Options are parsed signed on purpose: program_options reads "-1" into an
// unsigned type as 2^64-1.
//   opts.add_options()("seed", NonNegativeValue("seed")->default_value(1), "...");
po::typed_value<int64_t>* NonNegativeValue(const std::string& flag);

// The positional arguments ParseOrExit kept, in order.
std::vector<std::string> Positionals(const po::variables_map& vm);

}  // namespace dsasim::cli
