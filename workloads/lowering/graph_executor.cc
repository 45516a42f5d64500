#include "workloads/lowering/graph_executor.h"

#include <algorithm>
#include <unordered_map>

#include "sim/error.h"
#include "sim/simulator.h"
#include "sim/utilization_timeline.h"
#include "workloads/graph/graph_index.h"
#include "workloads/graph/op_kind.h"
#include "workloads/lowering/engine_costs.h"
#include "workloads/lowering/lowering.h"
#include "workloads/lowering/memory_plan.h"

namespace dsasim::workloads {
namespace {

// Walks the ops in order, starting each when the previous finishes.
class Stream {
 public:
  Stream(Simulator& sim, arch::Chip& chip, const v1::OperatorGraph& graph,
         const std::vector<int>& order, const LoweringContext& ctx, Execution& out)
      : sim_(sim), chip_(chip), graph_(graph), order_(order), ctx_(ctx), out_(out) {}

  void Start() { Next(); }

 private:
  void Next() {
    if (position_ > 0) Record();
    if (position_ == order_.size()) return;
    const v1::Operator& op = graph_.ops(order_[position_]);
    current_ = LowerOperator(op, ctx_);
    chip_.Run(current_.program, [this] { Next(); });
    ++position_;
  }

  void Record() {
    int index = order_[position_ - 1];
    const v1::Operator& op = graph_.ops(index);
    const arch::OpStats& s = chip_.last_op();
    OpRecord r;
    r.op_index = index;
    r.name = op.name();
    r.kind = std::string(OpKindName(op));
    r.layer = op.layer();
    r.chip = op.device();
    r.core = -1;
    r.start_ps = s.start.ps();
    r.end_ps = s.end.ps();
    r.flops = current_.flops;
    r.bytes = s.hbm_bytes;
    double best = -1;
    static const char* const kEngines[] = {"tensor", "vector", "scalar"};
    r.engine = "dma";
    for (int e = 0; e < arch::kNumEngineKinds; ++e) {
      if (s.engine_busy_ps[e] > best && s.engine_busy_ps[e] > 0) {
        best = s.engine_busy_ps[e];
        r.engine = kEngines[e];
      }
    }
    if (current_.program.cores.empty()) r.engine = "none";
    r.bound = BoundClass(s, ctx_.chip);
    r.lowering = current_.choices_json;
    out_.record.ops.push_back(std::move(r));
  }

  Simulator& sim_;
  arch::Chip& chip_;
  const v1::OperatorGraph& graph_;
  const std::vector<int>& order_;
  const LoweringContext& ctx_;
  Execution& out_;
  size_t position_ = 0;
  LoweredOp current_;
};

void AddMetric(RunRecord& r, std::string name, double value, std::string unit) {
  r.metrics.push_back({std::move(name), value, std::move(unit)});
}

// Tokens the step produces: one per sequence in decode, every new token in
// prefill (the throughput prefill is quoted in).
double TokensOf(const v1::OperatorGraph& graph) {
  const v1::GraphOrigin& o = graph.origin();
  int64_t batch = std::max<int64_t>(1, o.batch());
  switch (o.phase()) {
    case v1::PHASE_PREFILL: return static_cast<double>(batch * std::max<int64_t>(1, o.seq_len()));
    default: return static_cast<double>(batch);
  }
}

}  // namespace

std::string BoundClass(const arch::OpStats& s, const arch::ChipConfig& chip) {
  double seconds = (s.end - s.start).Seconds();
  if (seconds <= 0 || s.active_cores == 0) return "overhead";
  double core_seconds = seconds * s.active_cores;
  double compute = 0;
  for (double busy : s.engine_busy_ps) compute = std::max(compute, busy * 1e-12 / core_seconds);
  double hbm = s.hbm_bytes / (chip.hbm.peak_bandwidth() * seconds);
  double sram = chip.shared_sram.bandwidth > 0
                    ? s.shared_sram_bytes / (chip.shared_sram.bandwidth * seconds)
                    : 0;
  double interconnect = s.port_busy_ps * 1e-12 / core_seconds;
  std::pair<double, const char*> classes[] = {
      {compute, "compute"}, {hbm, "hbm"}, {sram, "sram"}, {interconnect, "interconnect"}};
  auto best = std::max_element(std::begin(classes), std::end(classes),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
  return best->first >= 0.5 ? best->second : "overhead";
}

Execution ExecuteGraph(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
                       const ExecutionOptions& options) {
  GraphIndex index(graph);
  std::vector<int> order = index.TopologicalOrder();
  std::unordered_map<std::string, const v1::Tensor*> tensors;
  for (const v1::Tensor& t : graph.tensors()) tensors.emplace(t.name(), &t);
  for (const v1::Operator& op : graph.ops()) {
    if (op.device() != 0) {
      throw MappingError("op '" + op.name() + "' is on device " + std::to_string(op.device()) +
                         " but the system has one chip");
    }
  }

  MemoryPlan memory(graph, chip);
  EngineCosts costs(chip);
  LoweringContext ctx{chip, costs, memory, tensors, options.lowering};

  Execution out;
  Simulator sim(options.seed);
  UtilizationTimeline timeline;
  arch::Chip machine(sim, chip, &timeline, options.memoize);
  Stream stream(sim, machine, graph, order, ctx, out);
  stream.Start();
  sim.Run();

  out.makespan = sim.Now();
  out.events = sim.events_processed();
  out.memo_hits = machine.memo_hits();
  out.transfers = machine.transfers();
  out.record.timeline = timeline.Rows(out.makespan);

  // Summary metrics.
  RunRecord& r = out.record;
  const double seconds = out.makespan.Seconds();
  double flops = 0, hbm_bytes = 0;
  std::map<std::string, std::map<std::string, double>> bound_time;
  for (const OpRecord& op : r.ops) {
    flops += op.flops;
    hbm_bytes += op.bytes;
    double dt = (op.end_ps - op.start_ps) * 1e-12;
    out.seconds_by_kind[op.kind] += dt;
    bound_time[op.kind][op.bound] += dt;
  }
  for (const auto& [kind, times] : bound_time) {
    out.bound_by_kind[kind] =
        std::max_element(times.begin(), times.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; })
            ->first;
  }
  double tokens = TokensOf(graph);
  AddMetric(r, "latency_s", seconds, "s");
  AddMetric(r, "tokens_per_s", seconds > 0 ? tokens / seconds : 0, "tokens/s");
  AddMetric(r, "flops", flops, "FLOP");
  AddMetric(r, "achieved_flops_per_s", seconds > 0 ? flops / seconds : 0, "FLOP/s");
  AddMetric(r, "hbm_bytes", hbm_bytes, "B");
  AddMetric(r, "hbm_bandwidth_Bps", seconds > 0 ? hbm_bytes / seconds : 0, "B/s");
  AddMetric(r, "hbm_peak_bandwidth_Bps", chip.hbm.peak_bandwidth(), "B/s");
  for (size_t c = 0; c < timeline.num_components(); ++c) {
    double util = 0;
    const std::string& name = timeline.name(static_cast<int>(c));
    if (name == "hbm") {
      util = seconds > 0 ? timeline.total_bytes(c) / (chip.hbm.peak_bandwidth() * seconds) : 0;
    } else if (name == "shared_sram") {
      util = seconds > 0 && chip.shared_sram.bandwidth > 0
                 ? timeline.total_bytes(c) / (chip.shared_sram.bandwidth * seconds)
                 : 0;
    } else {
      double capacity = name == "dma" ? chip.cores * chip.dma.engines : chip.cores;
      util = seconds > 0 ? timeline.total_busy_ps(c) * 1e-12 / (capacity * seconds) : 0;
    }
    AddMetric(r, "utilization_" + name, util, "fraction");
  }
  AddMetric(r, "ops", static_cast<double>(r.ops.size()), "count");
  return out;
}

}  // namespace dsasim::workloads
