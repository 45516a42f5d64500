// `dsasim graph`: build, validate, inspect and convert operator graphs.
// Every failure names the file and the op or tensor, exits non-zero and
// leaves no output file behind (outputs are written whole or not at all).
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "sim/proto_io.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"
#include "tools/cli/workload_options.h"
#include "workloads/builders/graph_builder.h"
#include "workloads/graph/graph_dot.h"
#include "workloads/graph/graph_stats.h"
#include "workloads/graph/graph_validator.h"
#include "workloads/models/model_spec.h"

namespace dsasim::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "Usage: dsasim graph VERB [options]\n\n"
    "  build    --model M --phase P --batch N ... -o OUT.pb|OUT.textproto\n"
    "  validate FILE...                 check a trace against the schema\n"
    "  stats    FILE | --model M ... [--summary] [--json]\n"
    "                                   parameters, FLOPs, bytes; per op kind\n"
    "  convert  IN OUT                  binary <-> text by extension\n"
    "  dot      FILE [-o OUT.dot]       Graphviz export\n\n"
    "'dsasim graph VERB --help' lists a verb's options.\n";

// Shell-quotes an argument only when it needs it, so that the recorded
// command can be pasted back into a shell.
std::string ShellWord(const std::string& arg) {
  bool plain = !arg.empty();
  for (char ch : arg) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) ||
          std::string_view("-_./:=,+@%").find(ch) != std::string_view::npos)) {
      plain = false;
    }
  }
  if (plain) return arg;
  std::string out = "'";
  for (char ch : arg) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// Rejects an output name whose extension says no format before any work.
void CheckGraphOutput(const std::string& path) {
  try {
    FormatForPath(path);
  } catch (const ConfigError& e) {
    throw po::error(e.what());
  }
}

v1::OperatorGraph LoadGraph(const std::string& path) {
  v1::OperatorGraph graph;
  LoadMessage(path, graph);
  workloads::ValidateGraph(graph, path);
  return graph;
}

v1::OperatorGraph BuildFromOptions(const po::variables_map& vm) {
  if (!vm.count("model")) throw po::error("--model is required");
  workloads::BuildOptions options = ParseWorkloadOptions(vm);
  const std::string& model = vm["model"].as<std::string>();
  workloads::ModelSpec spec = workloads::LoadModelSpec(model);
  v1::OperatorGraph graph = workloads::BuildGraph(spec, options);
  workloads::ValidateGraph(graph, "<graph built from " + model + ">");
  return graph;
}

// Writes text to `path` whole or not at all (temp file renamed into place).
void WriteFileAtomically(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw ConfigError(path.string() + ": cannot write file");
    out << text;
    if (!out) throw ConfigError(path.string() + ": write failed");
  }
  fs::rename(tmp, path);
}

int Build(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("graph build");
  AddWorkloadOptions(opts);
  opts.add_options()("output,o", po::value<std::string>()->required(),
                     "output file: .pb (binary) or .textproto (text)");
  po::variables_map vm;
  if (auto exit = ParseOrExit("graph build", args, opts, vm,
                              "dsasim graph build --model M [options] -o OUT")) {
    return *exit;
  }
  const std::string& out = vm["output"].as<std::string>();
  CheckGraphOutput(out);
  v1::OperatorGraph graph = BuildFromOptions(vm);
  std::string command = "dsasim graph build";
  for (const std::string& a : args) command += " " + ShellWord(a);
  graph.mutable_origin()->set_command(command);
  if (graph.origin().model().empty()) {
    graph.mutable_origin()->set_model(vm["model"].as<std::string>());
  }
  SaveMessage(out, graph);
  std::cout << "wrote " << out << ": " << graph.ops_size() << " ops, "
            << graph.tensors_size() << " tensors\n";
  return kExitOk;
}

int Validate(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("graph validate");
  po::variables_map vm;
  if (auto exit = ParseOrExit("graph validate", args, opts, vm,
                              "dsasim graph validate FILE...", kAnyNumber)) {
    return *exit;
  }
  std::vector<std::string> files = Positionals(vm);
  if (files.empty()) throw po::error("name at least one trace file");
  for (const std::string& path : files) {
    v1::OperatorGraph graph = LoadGraph(path);
    std::cout << "ok: " << graph.ops_size() << " ops, " << graph.tensors_size()
              << " tensors (" << path << ")\n";
  }
  return kExitOk;
}

// Totals of the ops of one kind.
struct KindStats {
  int64_t ops = 0;
  double flops = 0;
  int64_t bytes = 0;
  double Intensity() const { return bytes > 0 ? flops / static_cast<double>(bytes) : 0; }
};

// Per-op figures summed by op kind, in kind order: the view that stays a few
// dozen lines for a graph of any size.
std::map<std::string, KindStats> StatsByKind(const workloads::GraphStats& s) {
  std::map<std::string, KindStats> by_kind;
  for (const workloads::OpStats& o : s.per_op) {
    KindStats& k = by_kind[o.kind];
    ++k.ops;
    k.flops += o.flops;
    k.bytes += o.bytes;
  }
  return by_kind;
}

// `summary`: totals and per-kind figures only; the full form adds per-layer
// and per-op arrays (the per-op array of a large model is megabytes).
void PrintStatsJson(const workloads::GraphStats& s, bool summary) {
  JsonWriter json;
  json.BeginObject();
  json.Key("params_total").Int(s.params_total);
  json.Key("params_active").Number(s.params_active);
  json.Key("flops").Number(s.flops);
  json.Key("bytes").Int(s.bytes);
  json.Key("bytes_by_class").BeginObject();
  json.Key("weight").Int(s.bytes_by_class.weight);
  json.Key("weight_scale").Int(s.bytes_by_class.weight_scale);
  json.Key("activation").Int(s.bytes_by_class.activation);
  json.Key("kv_cache").Int(s.bytes_by_class.kv_cache);
  json.EndObject();
  json.Key("per_kind").BeginObject();
  for (const auto& [kind, k] : StatsByKind(s)) {
    json.Key(kind).BeginObject();
    json.Key("ops").Int(k.ops);
    json.Key("flops").Number(k.flops);
    json.Key("bytes").Int(k.bytes);
    json.Key("intensity").Number(k.Intensity());
    json.EndObject();
  }
  json.EndObject();
  if (summary) {
    json.EndObject();
    std::cout << json.str() << "\n";
    return;
  }
  json.Key("per_layer").BeginArray();
  for (const auto& l : s.per_layer) {
    json.BeginObject();
    json.Key("layer").Int(l.layer);
    json.Key("flops").Number(l.flops);
    json.Key("bytes").Int(l.bytes);
    json.Key("intensity").Number(l.intensity);
    json.EndObject();
  }
  json.EndArray();
  json.Key("per_op").BeginArray();
  for (const auto& o : s.per_op) {
    json.BeginObject();
    json.Key("name").String(o.name);
    json.Key("kind").String(o.kind);
    json.Key("layer").Int(o.layer);
    json.Key("flops").Number(o.flops);
    json.Key("bytes").Int(o.bytes);
    json.Key("intensity").Number(o.intensity);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  std::cout << json.str() << "\n";
}

void PrintStatsTable(const workloads::GraphStats& s, bool summary) {
  auto gib = [](int64_t b) { return static_cast<double>(b) / (1 << 30); };
  std::cout << std::setprecision(4) << "parameters       "
            << static_cast<double>(s.params_total) / 1e9 << " B total, "
            << s.params_active / 1e9 << " B active\n"
            << "FLOPs            " << s.flops / 1e12 << " T\n"
            << "bytes moved      " << gib(s.bytes) << " GiB\n"
            << "footprint        weights " << gib(s.bytes_by_class.weight)
            << " GiB, scales " << gib(s.bytes_by_class.weight_scale)
            << " GiB, activations " << gib(s.bytes_by_class.activation)
            << " GiB, KV cache " << gib(s.bytes_by_class.kv_cache) << " GiB\n\n"
            << std::left << std::setw(20) << "kind" << std::right << std::setw(8) << "ops"
            << std::setw(14) << "GFLOP" << std::setw(14) << "MiB" << std::setw(14)
            << "FLOP/B"
            << "\n";
  for (const auto& [kind, k] : StatsByKind(s)) {
    std::cout << std::left << std::setw(20) << kind << std::right << std::setw(8) << k.ops
              << std::setw(14) << k.flops / 1e9 << std::setw(14)
              << static_cast<double>(k.bytes) / (1 << 20) << std::setw(14)
              << k.Intensity() << "\n";
  }
  if (summary) return;
  std::cout << "\n"
            << std::setw(6) << "layer" << std::setw(14) << "GFLOP" << std::setw(14)
            << "MiB" << std::setw(14) << "FLOP/B"
            << "\n";
  for (const auto& l : s.per_layer) {
    std::cout << std::setw(6) << l.layer << std::setw(14) << l.flops / 1e9
              << std::setw(14) << static_cast<double>(l.bytes) / (1 << 20)
              << std::setw(14) << l.intensity << "\n";
  }
}

int Stats(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("graph stats");
  AddWorkloadOptions(opts);
  opts.add_options()("json", "print one JSON object")(
      "summary", "totals and per-kind figures only, no per-layer or per-op lists");
  po::variables_map vm;
  if (auto exit = ParseOrExit(
          "graph stats", args, opts, vm,
          "dsasim graph stats FILE | --model M [options] [--summary] [--json]", 1)) {
    return *exit;
  }
  std::vector<std::string> files = Positionals(vm);
  if ((files.size() == 1) == (vm.count("model") == 1)) {
    throw po::error("name one trace file, or build the graph with --model (not both)");
  }
  v1::OperatorGraph graph = files.empty() ? BuildFromOptions(vm) : LoadGraph(files[0]);
  workloads::GraphStats stats = workloads::ComputeStats(graph);
  const bool summary = vm.count("summary") > 0;
  if (vm.count("json")) {
    PrintStatsJson(stats, summary);
  } else {
    PrintStatsTable(stats, summary);
  }
  return kExitOk;
}

// The command's positional arguments, which must be exactly `n` (ParseOrExit
// already refused more).
std::vector<std::string> RequirePositionals(const po::variables_map& vm, size_t n,
                                            const std::string& what) {
  std::vector<std::string> p = Positionals(vm);
  if (p.size() != n) throw po::error("expects " + what);
  return p;
}

int Convert(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("graph convert");
  po::variables_map vm;
  if (auto exit = ParseOrExit("graph convert", args, opts, vm,
                              "dsasim graph convert IN OUT", 2)) {
    return *exit;
  }
  auto p = RequirePositionals(vm, 2, "two files: IN OUT");
  CheckGraphOutput(p[1]);
  SaveMessage(p[1], LoadGraph(p[0]));
  return kExitOk;
}

int Dot(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("graph dot");
  opts.add_options()("output,o", po::value<std::string>(),
                     "output .dot file (stdout if absent)");
  po::variables_map vm;
  if (auto exit = ParseOrExit("graph dot", args, opts, vm,
                              "dsasim graph dot FILE [-o OUT.dot]", 1)) {
    return *exit;
  }
  auto p = RequirePositionals(vm, 1, "one trace file");
  std::string dot = workloads::GraphToDot(LoadGraph(p[0]));
  if (vm.count("output")) {
    WriteFileAtomically(vm["output"].as<std::string>(), dot);
  } else {
    std::cout << dot;
  }
  return kExitOk;
}

}  // namespace

int GraphMain(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return kExitOk;
  }
  const std::string verb = "graph " + args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "build") return Build(rest);
    if (args[0] == "validate") return Validate(rest);
    if (args[0] == "stats") return Stats(rest);
    if (args[0] == "convert") return Convert(rest);
    if (args[0] == "dot") return Dot(rest);
    std::cerr << "dsasim graph: unknown verb '" << args[0]
              << "' (build, validate, stats, convert, dot)\n";
    return kExitUsage;
  } catch (const po::error& e) {
    std::cerr << "dsasim " << verb << ": " << e.what() << "\n"
              << "Try 'dsasim " << verb << " --help'.\n";
    return kExitUsage;
  } catch (const ConfigError& e) {
    std::cerr << "dsasim " << verb << ": " << e.what() << "\n";
    return kExitFailure;
  } catch (const fs::filesystem_error& e) {
    std::cerr << "dsasim " << verb << ": " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace dsasim::cli
