// `dsasim bench`: speed figures. Timing lives here, never in tests.
#include <iostream>

#include "sim/json_writer.h"
#include "tools/bench/phold.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"

namespace dsasim::cli {
namespace {

int RunKernelBench(const po::variables_map& vm) {
  PholdConfig config;
  config.processes = vm["processes"].as<int>();
  config.events = vm["events"].as<uint64_t>();
  config.seed = vm["seed"].as<uint64_t>();
  PholdResult r = RunPhold(config);
  if (vm.count("json")) {
    JsonWriter json;
    json.BeginObject()
        .Key("benchmark").String("kernel")
        .Key("processes").Int(config.processes)
        .Key("events").Int(static_cast<int64_t>(r.events))
        .Key("wall_s").Number(r.wall_seconds)
        .Key("events_per_s").Number(r.events_per_s)
        .Key("simulated_s").Number(r.simulated_seconds)
        .Key("peak_rss_bytes").Int(r.peak_rss_bytes)
        .Key("rss_after_warmup_bytes").Int(r.rss_after_warmup_bytes)
        .Key("rss_at_end_bytes").Int(r.rss_at_end_bytes)
        .EndObject();
    std::cout << json.str() << "\n";
    return kExitOk;
  }
  std::cout << "kernel (PHOLD, " << config.processes << " processes, "
            << r.events << " events)\n"
            << "  wall            " << r.wall_seconds << " s\n"
            << "  events/s        " << r.events_per_s / 1e6 << " M\n"
            << "  peak RSS        " << r.peak_rss_bytes / (1 << 20) << " MiB\n"
            << "  RSS after 10%   " << r.rss_after_warmup_bytes / (1 << 20)
            << " MiB, at end " << r.rss_at_end_bytes / (1 << 20) << " MiB\n";
  return kExitOk;
}

int RunBench(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("bench");
  opts.add_options()
      ("positional", po::value<std::vector<std::string>>(),
       "which benchmark: kernel")
      ("processes", po::value<int>()->default_value(1024), "PHOLD logical processes")
      ("events", po::value<uint64_t>()->default_value(20'000'000),
       "PHOLD events to process")
      ("seed", po::value<uint64_t>()->default_value(1), "random seed")
      ("json", "print one JSON object");
  po::variables_map vm;
  if (auto exit = ParseOrExit("bench", args, opts, vm,
                              "dsasim bench kernel [options]")) {
    return *exit;
  }
  std::vector<std::string> which = vm.count("positional")
      ? vm["positional"].as<std::vector<std::string>>()
      : std::vector<std::string>{"kernel"};
  if (which.size() != 1) {
    std::cerr << "dsasim bench: name one benchmark\n";
    return kExitUsage;
  }
  if (which[0] == "kernel") return RunKernelBench(vm);
  std::cerr << "dsasim bench: unknown benchmark '" << which[0]
            << "' (known: kernel)\n";
  return kExitUsage;
}

}  // namespace

int BenchMain(const std::vector<std::string>& args) { return RunBench(args); }

}  // namespace dsasim::cli
