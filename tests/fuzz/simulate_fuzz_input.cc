#include "tests/fuzz/simulate_fuzz_input.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "sim/error.h"
#include "sim/proto_io.h"
#include "tests/fuzz/fuzz_generators.h"
#include "tests/fuzz/fuzz_reader.h"
#include "workloads/graph/dtype.h"
#include "workloads/graph/graph_validator.h"
#include "workloads/models/model_spec.h"

namespace dsasim::testing {
namespace {

// The harness's budget: a graph with more bytes than this is not run. A
// shrunken model's LM head and a 256-wide attention cache stay far below;
// only a graph grown by many chained ops comes near.
constexpr double kMaxGraphBytes = 16.0 * (1 << 20);

[[noreturn]] void Broken(const std::string& what) { throw FuzzInvariantError(what); }

double GraphBytes(const v1::OperatorGraph& graph) {
  double bytes = 0;
  for (const v1::Tensor& t : graph.tensors()) {
    if (t.view_of_size() == 0) bytes += workloads::TensorBytes(t);
  }
  return bytes;
}

bool Finite(double v) { return std::isfinite(v); }

// What every finished run must satisfy, whatever the system and graph
// (the invariant tests of STYLE.md §15, over arbitrary cases).
void CheckInvariants(const v1::OperatorGraph& graph, const workloads::Execution& e) {
  const int64_t end = e.makespan.ps();
  if (end < 0) Broken("negative makespan " + std::to_string(end));
  if (static_cast<int>(e.record.ops.size()) != graph.ops_size()) {
    Broken(std::to_string(e.record.ops.size()) + " op rows for " +
           std::to_string(graph.ops_size()) + " ops");
  }
  for (const OpRecord& op : e.record.ops) {
    if (op.start_ps < 0 || op.start_ps > op.end_ps || op.end_ps > end) {
      Broken("op '" + op.name + "' runs [" + std::to_string(op.start_ps) + ", " +
             std::to_string(op.end_ps) + "] ps, outside [0, makespan " +
             std::to_string(end) + "]");
    }
    if (!Finite(op.flops) || op.flops < 0 || !Finite(op.bytes) || op.bytes < 0) {
      Broken("op '" + op.name + "' has flops " + std::to_string(op.flops) + ", bytes " +
             std::to_string(op.bytes));
    }
  }
  // Conservation: every descriptor issued completes, every byte arrives.
  const arch::TransferTotals& t = e.transfers;
  if (t.descriptors_issued != t.descriptors_completed ||
      std::abs(t.bytes_issued - t.bytes_delivered) >
          1e-9 * std::max(1.0, t.bytes_issued)) {
    Broken("transfers: " + std::to_string(t.descriptors_issued) +
           " descriptors issued, " + std::to_string(t.descriptors_completed) +
           " completed; " + std::to_string(t.bytes_issued) + " bytes issued, " +
           std::to_string(t.bytes_delivered) + " delivered");
  }
  // Physical bounds: nothing is busier than all of its capacity.
  for (const MetricRecord& m : e.record.metrics) {
    const bool fraction = m.unit == "fraction";
    if (!Finite(m.value) || m.value < 0 || (fraction && m.value > 1 + 1e-6)) {
      Broken("metric " + m.name + " = " + std::to_string(m.value) + " " + m.unit);
    }
  }
  for (const TimelineRecord& r : e.record.timeline) {
    if (r.start_ps > r.end_ps || r.end_ps > end || !Finite(r.busy_fraction) ||
        r.busy_fraction < 0 || r.busy_fraction > 1 + 1e-6) {
      Broken("timeline row " + r.component + " [" + std::to_string(r.start_ps) + ", " +
             std::to_string(r.end_ps) + "] busy " + std::to_string(r.busy_fraction));
    }
  }
}

// Two runs of one case (memoization on and off) give the same rows.
void CheckSameRows(const workloads::Execution& a, const workloads::Execution& b) {
  if (a.makespan != b.makespan || a.record.ops.size() != b.record.ops.size()) {
    Broken("memoization changed the makespan: " + std::to_string(a.makespan.ps()) +
           " vs " + std::to_string(b.makespan.ps()) + " ps");
  }
  for (size_t i = 0; i < a.record.ops.size(); ++i) {
    const OpRecord &x = a.record.ops[i], &y = b.record.ops[i];
    if (x.start_ps != y.start_ps || x.end_ps != y.end_ps || x.bytes != y.bytes) {
      Broken("memoization changed op '" + x.name + "': [" + std::to_string(x.start_ps) +
             ", " + std::to_string(x.end_ps) + "] vs [" + std::to_string(y.start_ps) +
             ", " + std::to_string(y.end_ps) + "] ps");
    }
  }
}

}  // namespace

SimulateFuzzCase DecodeSimulateFuzzCase(std::string_view bytes) {
  FuzzReader in(bytes);
  SimulateFuzzCase c;
  c.preset = in.Pick(kFuzzPresets);
  c.overrides = FuzzOverrides(in, c.preset);
  c.execution.lowering.double_buffering = !in.OneIn(4);
  c.execution.lowering.fused_attention = !in.OneIn(4);
  c.execution.lowering.dma_transforms = !in.OneIn(4);
  c.execution.memoize = in.Bool();
  c.execution.seed = static_cast<uint64_t>(in.Range(1, 4));
  c.rerun = in.OneIn(8);
  if (in.Bool()) {
    c.model_json = FuzzModelConfig(in);
    c.build = FuzzBuildOptions(in);
  } else {
    c.graph = FuzzGraph(in, kMaxOps);
  }
  return c;
}

SimulateFuzzOutcome RunSimulateFuzzCase(const SimulateFuzzCase& c) {
  SimulateFuzzOutcome outcome;
  outcome.stage = FuzzStage::kSystemRejected;
  arch::ChipConfig chip;
  try {
    v1::System system = arch::LoadSystem(c.preset);
    for (const std::string& o : c.overrides) arch::ApplyOverride(system, o);
    chip = arch::ParseChipConfig(system, c.preset);
  } catch (const ConfigError& e) {
    outcome.error = e.what();
    return outcome;
  }

  outcome.stage = FuzzStage::kGraphRejected;
  v1::OperatorGraph graph;
  try {
    if (c.model_json.empty()) {
      graph = c.graph;
    } else {
      graph = workloads::BuildGraph(workloads::ParseModelSpec(c.model_json, "<fuzz>"),
                                    c.build);
    }
    workloads::ValidateGraph(graph, "<fuzz>");
  } catch (const ConfigError& e) {
    outcome.error = e.what();
    return outcome;
  }
  outcome.ops = graph.ops_size();
  if (GraphBytes(graph) > kMaxGraphBytes) {
    outcome.stage = FuzzStage::kTooLarge;
    return outcome;
  }

  outcome.stage = FuzzStage::kMappingRejected;
  workloads::Execution e;
  try {
    e = workloads::ExecuteGraph(graph, chip, c.execution);
  } catch (const MappingError& e) {
    outcome.error = e.what();
    return outcome;
  } catch (const ConfigError& e) {
    outcome.error = e.what();
    return outcome;
  }
  CheckInvariants(graph, e);
  if (c.rerun) {
    workloads::ExecutionOptions flipped = c.execution;
    flipped.memoize = !flipped.memoize;
    CheckSameRows(e, workloads::ExecuteGraph(graph, chip, flipped));
  }
  outcome.stage = FuzzStage::kSimulated;
  outcome.events = e.events;
  return outcome;
}

std::string DescribeSimulateFuzzCase(const SimulateFuzzCase& c) {
  std::string text = "system " + c.preset;
  for (const std::string& o : c.overrides) text += " --set " + o;
  const workloads::LoweringOptions& l = c.execution.lowering;
  text += std::string("\nlowering: double_buffering=") +
          (l.double_buffering ? "1" : "0") +
          " fused_attention=" + (l.fused_attention ? "1" : "0") +
          " dma_transforms=" + (l.dma_transforms ? "1" : "0") +
          " memoize=" + (c.execution.memoize ? "1" : "0") +
          " seed=" + std::to_string(c.execution.seed) + " rerun=" + (c.rerun ? "1" : "0");
  if (!c.model_json.empty()) {
    const workloads::BuildOptions& b = c.build;
    text += "\nmodel config.json: " + c.model_json;
    text += "\nbuild: phase=" + v1::Phase_Name(b.phase) +
            " batch=" + std::to_string(b.batch) + " seq=" + std::to_string(b.seq_len) +
            " context=" + std::to_string(b.context_len) +
            " decode_batch=" + std::to_string(b.decode_batch) +
            " draft_tokens=" + std::to_string(b.draft_tokens) +
            " weight=" + std::string(workloads::DTypeName(b.weight_dtype)) +
            " activation=" + std::string(workloads::DTypeName(b.activation_dtype)) +
            " kv=" + std::string(workloads::DTypeName(b.kv_dtype)) +
            " group=" + std::to_string(b.weight_group_size) +
            " mla_absorbed=" + (b.mla_absorbed ? "1" : "0") +
            " kv_page_size=" + std::to_string(b.kv_page_size) +
            " zipf=" + (b.routing == workloads::RoutingModel::kZipf ? "1" : "0") +
            " capacity_factor=" + std::to_string(b.capacity_factor) +
            " tp=" + std::to_string(b.tensor_parallel) + "\n";
  } else {
    text += "\ngraph:\n" + ToTextFormat(c.graph);
  }
  return text;
}

}  // namespace dsasim::testing
