#include "tools/run/simulation.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <chrono>
#include <filesystem>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "arch_models/system/machine.h"
#include "sim/error.h"
#include "sim/json_writer.h"
#include "sim/proto_io.h"
#include "sim/units.h"
#include "workloads/graph/dtype.h"
#include "workloads/graph/graph_validator.h"
#include "workloads/lowering/memory_plan.h"
#include "workloads/models/model_spec.h"

#ifndef DSASIM_VERSION
#define DSASIM_VERSION "dev"
#endif

namespace dsasim {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// FNV-1a, 64-bit, printed as 16 hex digits: stable across platforms.
std::string HashHex(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string WorkloadText(const SimulationRequest& r, const v1::OperatorGraph& g) {
  if (!r.trace.empty()) return "trace " + r.trace;
  const v1::GraphOrigin& o = g.origin();
  std::string phase = v1::Phase_Name(o.phase());
  std::string text = r.model + " " + phase + " batch=" + std::to_string(o.batch());
  if (o.seq_len() > 0) text += " seq=" + std::to_string(o.seq_len());
  if (o.context_len() > 0) text += " context=" + std::to_string(o.context_len());
  return text;
}

// A parsed graph takes about four times its encoding in memory
// (GraphSize::MemoryBytes); refuse a file whose parse alone would pass the
// limit before reading it.
void CheckTraceFileFits(const std::string& path, const workloads::WorkLimits& limits) {
  std::error_code error;
  const double bytes = static_cast<double>(std::filesystem::file_size(path, error));
  if (!error && 4 * bytes > limits.max_memory_bytes) {
    throw LimitError(path + ": a trace of " + FormatBytes(bytes) +
                     " needs about 4× that in memory, above the limit of " +
                     FormatBytes(limits.max_memory_bytes) +
                     " (raise it with --max-memory)");
  }
}

// A graph for more devices than the system has chips cannot run; one for
// fewer leaves the rest idle (their utilization counts as zero).
void CheckChipCount(int devices, int chips, const std::string& system) {
  if (devices > chips) {
    throw ConfigError(
        "the workload needs " + std::to_string(devices) +
        " chips (tp × pp × ep × dp, or the trace's num_devices) but system '" + system +
        "' has " + std::to_string(chips) +
        " (use a multi-chip system such as dgx-h100, or --set chips=" +
        std::to_string(devices) + " with an interconnect)");
  }
}

}  // namespace

std::string ParametersJson(const SimulationRequest& r) {
  const workloads::BuildOptions& b = r.build;
  JsonWriter json;
  json.BeginObject();
  json.Key("system").String(r.system);
  json.Key("overrides").BeginArray();
  for (const std::string& o : r.overrides) json.String(o);
  json.EndArray();
  if (!r.trace.empty()) {
    json.Key("trace").String(r.trace);
  } else {
    json.Key("model").String(r.model);
    json.Key("phase").String(v1::Phase_Name(b.phase));
    json.Key("batch").Int(b.batch);
    json.Key("seq").Int(b.seq_len);
    json.Key("context").Int(b.context_len);
    json.Key("weight_dtype").String(workloads::DTypeName(b.weight_dtype));
    json.Key("activation_dtype").String(workloads::DTypeName(b.activation_dtype));
    json.Key("kv_dtype").String(workloads::DTypeName(b.kv_dtype));
    json.Key("layers").Int(b.layers);
    json.Key("decode_batch").Int(b.decode_batch);
    json.Key("draft_tokens").Int(b.draft_tokens);
    json.Key("weight_group_size").Int(b.weight_group_size);
    json.Key("tp").Int(b.tensor_parallel).Key("pp").Int(b.pipeline_parallel);
    json.Key("ep").Int(b.expert_parallel).Key("dp").Int(b.data_parallel);
    json.Key("microbatches").Int(b.microbatches);
    json.Key("mla_absorbed").Bool(b.mla_absorbed);
    json.Key("kv_page_size").Int(b.kv_page_size);
    json.Key("capacity_factor").Number(b.capacity_factor);
    json.Key("build_seed").Int(static_cast<int64_t>(b.seed));
  }
  json.Key("double_buffering").Bool(r.execution.lowering.double_buffering);
  json.Key("fused_attention").Bool(r.execution.lowering.fused_attention);
  json.Key("dma_transforms").Bool(r.execution.lowering.dma_transforms);
  json.Key("memoize").Bool(r.execution.memoize);
  json.Key("seed").Int(static_cast<int64_t>(r.execution.seed));
  json.EndObject();
  return json.str();
}

Simulation Simulate(const SimulationRequest& request) {
  Simulation out;
  out.system = arch::LoadSystem(request.system);
  for (const std::string& o : request.overrides) arch::ApplyOverride(out.system, o);
  arch::MachineConfig machine = arch::ParseMachineConfig(out.system, request.system);
  const arch::ChipConfig& chip = machine.chip;

  // Bounded work before work: a graph too large for the limits, or whose
  // weights and KV cache cannot fit the chip, is refused before it exists.
  auto build_start = Clock::now();
  const std::string& origin = request.trace.empty() ? request.model : request.trace;
  if (!request.trace.empty()) {
    CheckTraceFileFits(request.trace, request.limits);
    LoadMessage(request.trace, out.graph);
    workloads::CheckGraphFits(workloads::MeasureGraphSize(out.graph), request.limits,
                              origin);
  } else {
    workloads::ModelSpec spec = workloads::LoadModelSpec(request.model);
    workloads::CheckWorkloadRanges(request.build, origin);
    workloads::GraphSize size = workloads::EstimateGraphSize(spec, request.build);
    workloads::CheckGraphFits(size, request.limits, origin);
    const int devices = request.build.tensor_parallel * request.build.pipeline_parallel *
                        request.build.expert_parallel * request.build.data_parallel;
    CheckChipCount(devices, machine.chips, request.system);
    // Each chip holds its share; the per-chip plans check exactly.
    workloads::CheckHbmCapacity(size.stored_bytes / devices, chip);
    out.graph = workloads::BuildGraph(spec, request.build);
  }
  workloads::ValidateGraph(out.graph, origin);
  if (!request.trace.empty()) {
    CheckChipCount(out.graph.has_num_devices() ? out.graph.num_devices() : 1,
                   machine.chips, request.system);
  }
  out.build_seconds = SecondsSince(build_start);

  auto sim_start = Clock::now();
  workloads::ExecutionOptions execution = request.execution;
  execution.max_events = static_cast<uint64_t>(request.limits.max_events);
  execution.max_memory_bytes = request.limits.max_memory_bytes;
  out.execution = workloads::ExecuteGraph(out.graph, machine, execution);
  out.simulate_seconds = SecondsSince(sim_start);

  RunRecord& r = out.record;
  r = out.execution.record;
  r.system_name = out.system.name();
  r.system_text = ToTextFormat(out.system);
  r.workload = WorkloadText(request, out.graph);
  r.parameters_json = ParametersJson(request);
  // The hash covers exactly what determines the results: the system after
  // overrides, the graph as simulated (whatever built it: shipped model,
  // config.json, trace), the lowering switches and the seed. Memoization is
  // left out on purpose — it changes no result — and so is the command that
  // built a trace.
  v1::OperatorGraph hashed = out.graph;
  hashed.mutable_origin()->clear_command();
  std::string graph_bytes;
  {
    google::protobuf::io::StringOutputStream stream(&graph_bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    hashed.SerializeToCodedStream(&coded);
  }
  const workloads::LoweringOptions& l = request.execution.lowering;
  r.config_hash = HashHex(
      r.system_text + "\n" + HashHex(graph_bytes) + "\n" +
      std::to_string(l.double_buffering) + std::to_string(l.fused_attention) +
      std::to_string(l.dma_transforms) + "\n" + std::to_string(request.execution.seed));
  r.dsasim_version = DSASIM_VERSION;
  r.seed = request.execution.seed;
  r.wall_seconds = out.simulate_seconds;
  r.event_count = out.execution.events;
  return out;
}

}  // namespace dsasim
