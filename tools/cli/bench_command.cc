// `dsasim bench`: speed figures. Timing lives here, never in tests.
#include <algorithm>
#include <iostream>
#include <vector>

#include "sim/json_writer.h"
#include "tools/bench/phold.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"
#include "tools/run/simulation.h"

namespace dsasim::cli {
namespace {

int RunKernelBench(const po::variables_map& vm) {
  PholdConfig config;
  config.processes = vm["processes"].as<int>();
  config.events = static_cast<uint64_t>(vm["events"].as<int64_t>());
  config.seed = static_cast<uint64_t>(vm["seed"].as<int64_t>());
  PholdResult r = RunPhold(config);
  if (vm.count("json")) {
    JsonWriter json;
    json.BeginObject()
        .Key("benchmark")
        .String("kernel")
        .Key("processes")
        .Int(config.processes)
        .Key("events")
        .Int(static_cast<int64_t>(r.events))
        .Key("wall_s")
        .Number(r.wall_seconds)
        .Key("events_per_s")
        .Number(r.events_per_s)
        .Key("simulated_s")
        .Number(r.simulated_seconds)
        .Key("peak_rss_bytes")
        .Int(r.peak_rss_bytes)
        .Key("rss_after_warmup_bytes")
        .Int(r.rss_after_warmup_bytes)
        .Key("rss_at_end_bytes")
        .Int(r.rss_at_end_bytes)
        .EndObject();
    std::cout << json.str() << "\n";
    return kExitOk;
  }
  std::cout << "kernel (PHOLD, " << config.processes << " processes, " << r.events
            << " events)\n"
            << "  wall            " << r.wall_seconds << " s\n"
            << "  events/s        " << r.events_per_s / 1e6 << " M\n"
            << "  peak RSS        " << r.peak_rss_bytes / (1 << 20) << " MiB\n"
            << "  RSS after 10%   " << r.rss_after_warmup_bytes / (1 << 20)
            << " MiB, at end " << r.rss_at_end_bytes / (1 << 20) << " MiB\n";
  return kExitOk;
}

// One simulated step of a model, timed: wall time of the simulation alone
// (graph building reported apart), events/s, simulated/wall ratio, peak RSS.
// `tp` > 1: the tensor-parallel benchmarks (decode-tp8, prefill-tp8), whose
// defaults are Llama-3-70B on dgx-h100, batch 64 for decode.
std::string Name(v1::Phase phase, int tp) {
  return std::string(phase == v1::PHASE_DECODE ? "decode" : "prefill") +
         (tp > 1 ? "-tp" + std::to_string(tp) : "");
}

int RunStepBench(const po::variables_map& vm, v1::Phase phase, int tp = 1) {
  const bool decode = phase == v1::PHASE_DECODE;
  SimulationRequest req;
  req.system =
      tp > 1 && vm["system"].defaulted() ? "dgx-h100" : vm["system"].as<std::string>();
  req.model =
      tp > 1 && vm["model"].defaulted() ? "llama3-70b" : vm["model"].as<std::string>();
  req.build.phase = phase;
  req.build.tensor_parallel = tp;
  const int64_t default_batch = decode ? (tp > 1 ? 64 : 8) : 1;
  req.build.batch = vm.count("batch") ? vm["batch"].as<int64_t>() : default_batch;
  if (phase == v1::PHASE_DECODE) {
    req.build.context_len = vm["context"].as<int64_t>();
  } else {
    req.build.seq_len = vm["seq"].as<int64_t>();
  }
  req.execution.memoize = !vm.count("no-memo");
  int repeats = std::max(1, vm["repeats"].as<int>());
  std::vector<double> walls, builds;
  Simulation sim;
  for (int i = 0; i < repeats; ++i) {
    sim = Simulate(req);
    walls.push_back(sim.simulate_seconds);
    builds.push_back(sim.build_seconds);
  }
  std::sort(walls.begin(), walls.end());
  std::sort(builds.begin(), builds.end());
  double wall = walls[walls.size() / 2], build = builds[builds.size() / 2];
  double simulated = sim.execution.makespan.Seconds();
  double events = static_cast<double>(sim.execution.events);
  JsonWriter json;
  json.BeginObject()
      .Key("benchmark")
      .String(Name(phase, tp))
      .Key("system")
      .String(req.system)
      .Key("model")
      .String(req.model)
      .Key("batch")
      .Int(req.build.batch)
      .Key("tp")
      .Int(tp)
      .Key("memoize")
      .Bool(req.execution.memoize)
      .Key("repeats")
      .Int(repeats)
      .Key("wall_s_median")
      .Number(wall)
      .Key("build_s_median")
      .Number(build)
      .Key("events")
      .Number(events)
      .Key("events_per_s")
      .Number(wall > 0 ? events / wall : 0)
      .Key("simulated_s")
      .Number(simulated)
      .Key("simulated_to_wall")
      .Number(wall > 0 ? simulated / wall : 0)
      .Key("memo_hits")
      .Int(sim.execution.memo_hits)
      .Key("peak_rss_bytes")
      .Int(PeakRssBytes())
      .EndObject();
  if (vm.count("json")) {
    std::cout << json.str() << "\n";
    return kExitOk;
  }
  std::cout << Name(phase, tp) << " step, " << req.model << " on " << req.system
            << ", batch " << req.build.batch
            << (req.execution.memoize ? "" : " (no memo)") << "\n"
            << "  wall (median of " << repeats << ")  " << wall << " s (graph build "
            << build << " s)\n"
            << "  events             " << events << " (" << events / wall / 1e6
            << " M/s)\n"
            << "  simulated / wall   " << simulated / wall << "\n"
            << "  peak RSS           " << PeakRssBytes() / (1 << 20) << " MiB\n";
  return kExitOk;
}

int RunBench(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("bench");
  opts.add_options()("system", po::value<std::string>()->default_value("h100"),
                     "decode/prefill: system")(
      "model", po::value<std::string>()->default_value("llama3-8b"),
      "decode/prefill: model")(
      "batch", po::value<int64_t>(),
      "decode/prefill: batch (default 8 for decode, 1 for prefill)")(
      "context", po::value<int64_t>()->default_value(4096), "decode: context tokens")(
      "seq", po::value<int64_t>()->default_value(2048), "prefill: prompt tokens")(
      "repeats", po::value<int>()->default_value(3),
      "decode/prefill: runs (median reported)")("no-memo",
                                                "decode/prefill: simulate every layer")(
      "processes", po::value<int>()->default_value(1024), "PHOLD logical processes")(
      "events", NonNegativeValue("events")->default_value(20'000'000),
      "PHOLD events to process")("seed", NonNegativeValue("seed")->default_value(1),
                                 "random seed")("json", "print one JSON object");
  po::variables_map vm;
  if (auto exit = ParseOrExit(
          "bench", args, opts, vm,
          "dsasim bench [kernel|decode|prefill|decode-tp8|prefill-tp8] [options]", 1)) {
    return *exit;
  }
  std::vector<std::string> which = Positionals(vm);
  if (which.empty()) which.push_back("kernel");
  if (which[0] == "kernel") return RunKernelBench(vm);
  if (which[0] == "decode") return RunStepBench(vm, v1::PHASE_DECODE);
  if (which[0] == "prefill") return RunStepBench(vm, v1::PHASE_PREFILL);
  if (which[0] == "decode-tp8") return RunStepBench(vm, v1::PHASE_DECODE, 8);
  if (which[0] == "prefill-tp8") return RunStepBench(vm, v1::PHASE_PREFILL, 8);
  std::cerr << "dsasim bench: unknown benchmark '" << which[0]
            << "' (known: kernel, decode, prefill, decode-tp8, prefill-tp8)\n";
  return kExitUsage;
}

}  // namespace

int BenchMain(const std::vector<std::string>& args) { return RunBench(args); }

}  // namespace dsasim::cli
