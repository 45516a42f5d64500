#include "tools/cli/common_options.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "tools/cli/command.h"

namespace dsasim::cli {
namespace {

// The hidden option that collects positional arguments. Commands read them
// through Positionals(), never by this name.
constexpr char kPositional[] = "positional";

}  // namespace

po::options_description CommonOptions(const std::string& command) {
  po::options_description opts("dsasim " + command + " options");
  opts.add_options()("help,h", "print this help")(
      "log-level", po::value<std::string>()->default_value("warn"),
      "trace, debug, info, warn, error or off (logs go to stderr)");
  return opts;
}

std::optional<int> ParseOrExit(const std::string& command,
                               const std::vector<std::string>& args,
                               const po::options_description& opts, po::variables_map& vm,
                               const std::string& usage_line, size_t max_positionals) {
  // --help answers before required options are checked: `dsasim graph
  // build --help` must not demand an --output.
  auto usage_error = [&](const std::string& what) {
    std::cerr << "dsasim " << command << ": " << what << "\n"
              << "Try 'dsasim " << command << " --help'.\n";
    return kExitUsage;
  };
  // Without a positional description program_options drops bare words
  // silently; with an unlimited one every word is kept and counted below,
  // so that the error can name the first one too many.
  po::options_description all;
  all.add(opts);
  all.add_options()(kPositional, po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add(kPositional, -1);
  try {
    po::parsed_options parsed =
        po::command_line_parser(args).options(all).positional(positional).run();
    po::store(parsed, vm);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  if (vm.count("help")) {
    if (!usage_line.empty()) std::cout << "Usage: " << usage_line << "\n\n";
    std::cout << opts << "\n";
    return kExitOk;
  }
  std::vector<std::string> words = Positionals(vm);
  if (words.size() > max_positionals) {
    return usage_error(
        "unexpected argument '" + words[max_positionals] + "'" +
        (max_positionals == 0 ? " (this command takes only options)" : ""));
  }
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  std::string level = vm["log-level"].as<std::string>();
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    std::cerr << "dsasim " << command << ": --log-level '" << level
              << "' is not one of trace, debug, info, warn, error, off\n";
    return kExitUsage;
  }
  spdlog::set_level(parsed);
  return std::nullopt;
}

po::typed_value<int64_t>* NonNegativeValue(const std::string& flag) {
  return po::value<int64_t>()->notifier([flag](int64_t v) {
    if (v < 0) throw po::error("--" + flag + " '" + std::to_string(v) + "' must be >= 0");
  });
}

std::vector<std::string> Positionals(const po::variables_map& vm) {
  if (!vm.count(kPositional)) return {};
  return vm[kPositional].as<std::vector<std::string>>();
}

}  // namespace dsasim::cli
