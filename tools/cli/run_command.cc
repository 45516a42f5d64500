// `dsasim run`: simulate one workload on one system and store the run.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "arch_models/chip/system_loader.h"
#include "sim/json_writer.h"
#include "sim/units.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"
#include "tools/cli/workload_options.h"
#include "tools/run/simulation.h"
#include "tools/store/result_store.h"

namespace dsasim::cli {
namespace {

double Metric(const RunRecord& r, std::string_view name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return m.value;
  }
  return 0;
}

// SRAM levels in cache mode, as their metric prefixes and printed names.
constexpr std::pair<const char*, const char*> kCacheLevels[] = {
    {"sram_cache_", "core caches"}, {"shared_cache_", "shared cache"}};

bool HasMetric(const RunRecord& r, const std::string& name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return true;
  }
  return false;
}

// Mesh/torus runs name their busiest NoC channels; crossbar runs do not.
bool HasNocChannels(const Simulation& s) { return !s.execution.noc_busiest_link.empty(); }

void PrintJson(const Simulation& s, int64_t run_id, const std::string& db) {
  const RunRecord& r = s.record;
  JsonWriter json;
  json.BeginObject();
  json.Key("run_id").Int(run_id);
  json.Key("db").String(db);
  json.Key("system").String(r.system_name);
  json.Key("workload").String(r.workload);
  json.Key("latency_s").Number(Metric(r, "latency_s"));
  json.Key("tokens_per_s").Number(Metric(r, "tokens_per_s"));
  json.Key("flops").Number(Metric(r, "flops"));
  json.Key("hbm_bytes").Number(Metric(r, "hbm_bytes"));
  json.Key("hbm_bandwidth_Bps").Number(Metric(r, "hbm_bandwidth_Bps"));
  json.Key("hbm_bandwidth_fraction_of_peak")
      .Number(Metric(r, "hbm_bandwidth_Bps") / Metric(r, "hbm_peak_bandwidth_Bps"));
  json.Key("utilization").BeginObject();
  for (const MetricRecord& m : r.metrics) {
    if (m.name.rfind("utilization_", 0) == 0) json.Key(m.name.substr(12)).Number(m.value);
  }
  json.EndObject();
  if (HasNocChannels(s)) {
    json.Key("noc").BeginObject();
    json.Key("max_link_utilization").Number(Metric(r, "noc_max_link_utilization"));
    json.Key("busiest_link").String(s.execution.noc_busiest_link);
    json.Key("max_port_utilization").Number(Metric(r, "noc_max_port_utilization"));
    json.Key("busiest_port").String(s.execution.noc_busiest_port);
    json.EndObject();
  }
  if (s.execution.chips > 1) {
    const workloads::Execution& e = s.execution;
    json.Key("chips").Int(e.chips);
    json.Key("links").BeginObject();
    json.Key("busiest_link").String(e.busiest_link);
    json.Key("max_link_utilization").Number(Metric(r, "link_max_utilization"));
    json.Key("link_bytes").Number(Metric(r, "link_bytes"));
    json.Key("utilization").BeginObject();
    for (const auto& [name, util] : e.link_utilization) json.Key(name).Number(util);
    json.EndObject();
    json.EndObject();
    json.Key("communication_s").Number(Metric(r, "communication_s"));
    json.Key("exposed_communication_s").Number(Metric(r, "exposed_communication_s"));
    if (e.bubble_fraction >= 0)
      json.Key("pipeline_bubble_fraction").Number(e.bubble_fraction);
    json.Key("replicas").Int(static_cast<int64_t>(Metric(r, "replicas")));
    json.Key("tokens_per_s_per_replica").Number(Metric(r, "tokens_per_s_per_replica"));
  }
  json.Key("bottleneck_by_op_kind").BeginObject();
  for (const auto& [kind, bound] : s.execution.bound_by_kind)
    json.Key(kind).String(bound);
  json.EndObject();
  json.Key("seconds_by_op_kind").BeginObject();
  for (const auto& [kind, sec] : s.execution.seconds_by_kind) json.Key(kind).Number(sec);
  json.EndObject();
  for (const auto& [prefix, label] : kCacheLevels) {
    const std::string p = prefix;
    if (!HasMetric(r, p + "hit_rate")) continue;
    json.Key(p.substr(0, p.size() - 1)).BeginObject();
    for (const char* field : {"hit_rate", "fill_bytes", "writeback_bytes"})
      json.Key(field).Number(Metric(r, p + field));
    json.EndObject();
  }
  json.Key("ops").Int(static_cast<int64_t>(r.ops.size()));
  json.Key("events").Int(static_cast<int64_t>(r.event_count));
  json.Key("wall_s").Number(r.wall_seconds);
  json.EndObject();
  std::cout << json.str() << "\n";
}

// A system of chips: its links and how long the chips waited on them.
void PrintLinks(const Simulation& s) {
  const RunRecord& r = s.record;
  const workloads::Execution& e = s.execution;
  const double latency = Metric(r, "latency_s");
  std::cout << "\n  chips              " << e.chips << ", link traffic "
            << FormatDecimalBytes(Metric(r, "link_bytes"));
  if (!e.busiest_link.empty()) {
    std::cout << "\n  busiest links     ";
    // The few busiest say where the fabric saturates; --json lists all.
    constexpr size_t kShown = 4;
    for (size_t i = 0; i < std::min(kShown, e.link_utilization.size()); ++i) {
      std::cout << (i ? ", " : " ") << e.link_utilization[i].first << " "
                << std::setprecision(1) << 100 * e.link_utilization[i].second << "%";
    }
  }
  const double exposed = Metric(r, "exposed_communication_s");
  std::cout << "\n  communication      " << FormatSeconds(Metric(r, "communication_s"))
            << ", exposed " << FormatSeconds(exposed) << " (" << std::setprecision(1)
            << (latency > 0 ? 100 * exposed / latency : 0) << "% of latency)";
  if (e.bubble_fraction >= 0) {
    std::cout << "\n  pipeline bubble    " << std::setprecision(1)
              << 100 * e.bubble_fraction << "% of chip-time";
  }
  const double replicas = Metric(r, "replicas");
  if (replicas > 1) {
    std::cout << "\n  replicas           " << std::setprecision(0) << replicas << ", "
              << std::setprecision(1) << Metric(r, "tokens_per_s_per_replica")
              << " tokens/s each";
  }
}

void PrintText(const Simulation& s, int64_t run_id, const std::string& db) {
  const RunRecord& r = s.record;
  double latency = Metric(r, "latency_s");
  // Bytes moved print in decimal units like the bandwidths beside them (GB
  // with GB/s), so that traffic / latency reads as the bandwidth shown.
  std::cout << r.system_name << " · " << r.workload << "\n"
            << "  latency            " << FormatSeconds(latency) << "\n"
            << "  tokens/s           " << std::fixed << std::setprecision(1)
            << Metric(r, "tokens_per_s") << "\n"
            << "  HBM traffic        " << FormatDecimalBytes(Metric(r, "hbm_bytes"))
            << "\n"
            << "  HBM bandwidth      " << FormatBandwidth(Metric(r, "hbm_bandwidth_Bps"))
            << " (" << std::setprecision(1)
            << 100 * Metric(r, "hbm_bandwidth_Bps") / Metric(r, "hbm_peak_bandwidth_Bps")
            << "% of peak)\n"
            << "  utilization       ";
  for (const MetricRecord& m : r.metrics) {
    if (m.name.rfind("utilization_", 0) == 0) {
      std::cout << " " << m.name.substr(12) << " " << std::setprecision(1)
                << 100 * m.value << "%";
    }
  }
  for (const auto& [prefix, label] : kCacheLevels) {
    const std::string p = prefix;
    if (!HasMetric(r, p + "hit_rate")) continue;
    std::cout << "\n  " << std::left << std::setw(19) << label << std::right
              << "hit rate " << std::setprecision(1) << 100 * Metric(r, p + "hit_rate")
              << "%, fills " << FormatDecimalBytes(Metric(r, p + "fill_bytes"))
              << ", writebacks " << FormatDecimalBytes(Metric(r, p + "writeback_bytes"));
  }
  if (HasNocChannels(s)) {
    std::cout << "\n  NoC busiest link   " << s.execution.noc_busiest_link << " "
              << 100 * Metric(r, "noc_max_link_utilization") << "%, busiest port "
              << s.execution.noc_busiest_port << " "
              << 100 * Metric(r, "noc_max_port_utilization") << "%";
  }
  if (s.execution.chips > 1) PrintLinks(s);
  std::cout << "\n  by operator kind   (time, bottleneck)\n";
  for (const auto& [kind, sec] : s.execution.seconds_by_kind) {
    std::cout << "    " << std::left << std::setw(18) << kind << std::right
              << std::setw(12) << FormatSeconds(sec) << "  "
              << s.execution.bound_by_kind.at(kind) << "\n";
  }
  std::cout << "  simulated in " << std::setprecision(3) << r.wall_seconds << " s wall ("
            << r.event_count << " events)\n"
            << "results: " << db << " (run " << run_id << ")\n";
}

std::string PresetList() {
  std::string list;
  for (const std::string& name : arch::PresetNames())
    list += (list.empty() ? "" : ", ") + name;
  return list;
}

int RunMain(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("run");
  opts.add_options()(
      "system", po::value<std::string>()->default_value("h100"),
      ("system preset (" + PresetList() + ") or a .textproto path").c_str())(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a system field, repeatable: --set chip.hbm.stacks=6; values with "
      "units as in the textproto (1.83GHz, 3.35TB/s, 228KiB, 500ns); an empty "
      "value clears the field (--set chip.hbm.rated_bandwidth=)")(
      "trace", po::value<std::string>(),
      "replay an operator-graph trace instead of --model")(
      "no-double-buffering",
      "one operand buffer per pipeline: DMA and compute serialize")(
      "unfused-attention", "lower attention as QKᵀ, softmax, PV through memory")(
      "no-dma-transforms", "dequant, reduce and gather on compute engines, not the DMA")(
      "no-memo", "simulate every op, even identical layers")(
      "seed", NonNegativeValue("seed")->default_value(1), "random seed (>= 0)")(
      "max-events", po::value<double>()->default_value(2e9, "2e9"),
      "refuse a run that needs more simulated events, stop one that reaches it")(
      "max-memory", po::value<std::string>()->default_value("8GiB"),
      "refuse a run whose graph would need more memory (a size: 16GiB)")(
      "db", po::value<std::string>()->default_value("dsasim.db"), "result database")(
      "json", "print the summary as one JSON object");
  AddWorkloadOptions(opts);
  po::variables_map vm;
  if (auto exit = ParseOrExit("run", args, opts, vm,
                              "dsasim run --system h100 --model llama3-8b --phase decode "
                              "--batch 8 --context 4096 [options]")) {
    return *exit;
  }
  SimulationRequest req;
  req.system = vm["system"].as<std::string>();
  if (vm.count("set")) req.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("trace")) {
    req.trace = vm["trace"].as<std::string>();
    // A trace is a workload already built; flags that would build one have
    // nothing to act on, and ignoring them would report a run the user did
    // not ask for.
    std::vector<std::string> ignored = GivenWorkloadFlags(vm);
    if (!ignored.empty()) {
      std::string list;
      for (const std::string& flag : ignored) list += (list.empty() ? "" : ", ") + flag;
      std::cerr << "dsasim run: --trace replays a built graph, so " << list
                << " would be ignored; drop them, or build the graph with them "
                   "(dsasim graph build)\n";
      return kExitUsage;
    }
  } else if (vm.count("model")) {
    req.model = vm["model"].as<std::string>();
  } else {
    std::cerr << "dsasim run: name a --model (e.g. llama3-8b) or a --trace file\n";
    return kExitUsage;
  }
  try {
    req.build = ParseWorkloadOptions(vm);
  } catch (const po::error& e) {
    std::cerr << "dsasim run: " << e.what() << "\n";
    return kExitUsage;
  }
  req.execution.lowering.double_buffering = !vm.count("no-double-buffering");
  req.execution.lowering.fused_attention = !vm.count("unfused-attention");
  req.execution.lowering.dma_transforms = !vm.count("no-dma-transforms");
  req.execution.memoize = !vm.count("no-memo");
  req.execution.seed = static_cast<uint64_t>(vm["seed"].as<int64_t>());
  try {
    req.limits.max_events = vm["max-events"].as<double>();
    req.limits.max_memory_bytes = ParseBytes(vm["max-memory"].as<std::string>());
  } catch (const UnitError& e) {
    std::cerr << "dsasim run: --max-memory: " << e.what() << "\n";
    return kExitUsage;
  }
  if (!(req.limits.max_events >= 1 && req.limits.max_events <= 1e15)) {
    std::cerr << "dsasim run: --max-events must be in [1, 1e15]\n";
    return kExitUsage;
  }

  // A bad --db fails now, not after the simulation; the file is created
  // only when the run is written, so a failed simulation leaves none.
  std::string db = vm["db"].as<std::string>();
  store::ResultStore::CheckWritable(db);
  Simulation sim = Simulate(req);
  store::ResultStore results =
      store::ResultStore::Open(db, store::ResultStore::Mode::kReadWrite);
  int64_t run_id = results.WriteRun(sim.record);
  if (vm.count("json")) {
    PrintJson(sim, run_id, db);
  } else {
    PrintText(sim, run_id, db);
  }
  return kExitOk;
}

}  // namespace

int RunCommandMain(const std::vector<std::string>& args) { return RunMain(args); }

}  // namespace dsasim::cli
