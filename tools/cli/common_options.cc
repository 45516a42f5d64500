#include "tools/cli/common_options.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "tools/cli/command.h"

namespace dsasim::cli {

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
                               const std::string& usage_line) {
  // --help answers before required options are checked: `dsasim graph
  // build --help` must not demand an --output.
  auto usage_error = [&](const po::error& e) {
    std::cerr << "dsasim " << command << ": " << e.what() << "\n"
              << "Try 'dsasim " << command << " --help'.\n";
    return kExitUsage;
  };
  try {
    po::command_line_parser parser(args);
    parser.options(opts);
    po::positional_options_description positional;
    if (opts.find_nothrow("positional", false) != nullptr) {
      positional.add("positional", -1);
      parser.positional(positional);
    }
    po::store(parser.run(), vm);
  } catch (const po::error& e) {
    return usage_error(e);
  }
  if (vm.count("help")) {
    if (!usage_line.empty()) std::cout << "Usage: " << usage_line << "\n\n";
    std::cout << opts << "\n";
    return kExitOk;
  }
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e);
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

}  // namespace dsasim::cli
