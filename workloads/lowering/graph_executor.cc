#include "workloads/lowering/graph_executor.h"

#include <algorithm>
#include <unordered_map>

#include "sim/error.h"
#include "sim/simulator.h"
#include "sim/units.h"
#include "sim/utilization_timeline.h"
#include "workloads/graph/graph_index.h"
#include "workloads/graph/op_kind.h"
#include "workloads/lowering/engine_costs.h"
#include "workloads/lowering/lowering.h"
#include "workloads/lowering/memory_plan.h"
#include "workloads/lowering/run_bounds.h"

namespace dsasim::workloads {
namespace {

// Mesh/torus: the busiest links whose own utilization goes into the
// timeline (link_timeline.h says why not all).
constexpr int kTimelineLinks = 4;

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
    // Identical layers lower to identical programs: lower each distinct
    // operator signature once and reuse the program (and its digest).
    auto [it, inserted] = lowered_.try_emplace(Signature(op));
    if (inserted) {
      try {
        it->second.op = LowerOperator(op, ctx_);
      } catch (const MappingError& e) {
        lowered_.erase(it);
        throw MappingError("op '" + op.name() + "' (" + std::string(OpKindName(op)) +
                           "): " + e.what());
      }
      it->second.digest = it->second.op.program.Digest(ctx_.memory.stripe_bytes());
    }
    current_ = &it->second.op;
    dispatched_ = sim_.Now();
    ++position_;
    // The executor pays each op's launch — its kind's dispatch path, see
    // ChipConfig::LaunchOverhead — and the chip it drives has none of its
    // own. An op with nothing to run (a collective within one device) is not
    // launched.
    const uint64_t digest = it->second.digest;
    auto run = [this, digest] {
      chip_.Run(current_->program, digest, [this] { Next(); });
    };
    bool has_work =
        std::any_of(current_->program.cores.begin(), current_->program.cores.end(),
                    [](const arch::CoreProgram& c) { return !c.steps.empty(); });
    if (has_work) {
      sim_.PostAfter(ctx_.chip.LaunchOverhead(OpKindName(op)), run,
                     EventPriority::kIssue);
    } else {
      run();
    }
  }

  // Everything the lowering reads: the operator's kind and attributes, and
  // each operand's shape, type and placement (addresses modulo the HBM
  // stripe, as the program digest sees them).
  std::string Signature(const v1::Operator& op) const {
    v1::Operator kind_only = op;
    kind_only.clear_name();
    kind_only.clear_inputs();
    kind_only.clear_outputs();
    kind_only.clear_control_deps();
    kind_only.clear_layer();
    std::string sig = kind_only.SerializeAsString();
    auto add_operand = [&](const std::string& name) {
      v1::Tensor t = ctx_.tensor(name);
      t.clear_name();
      t.clear_view_of();
      t.mutable_quantization()->clear_scale_tensor();
      const Placement& p = ctx_.memory.at(name);
      sig += t.SerializeAsString();
      // The detailed HBM model maps the bits above the stripe to banks and
      // rows, and a cache tells layers apart by their lines, so there the
      // full address matters.
      uint64_t address = p.memory == arch::MemoryKind::kSharedSram ? 0
                         : arch::Chip::TimingIsStateless(ctx_.chip)
                             ? p.address % ctx_.memory.stripe_bytes()
                             : p.address;
      sig += std::to_string(static_cast<int>(p.memory)) + ":" + std::to_string(address) +
             ":" + std::to_string(p.bytes) + ";";
    };
    for (const std::string& name : op.inputs()) add_operand(name);
    sig += "|";
    for (const std::string& name : op.outputs()) add_operand(name);
    return sig;
  }

  void Record() {
    int index = order_[position_ - 1];
    const v1::Operator& op = graph_.ops(index);
    // The op's time starts at its dispatch: the launch is part of it.
    arch::OpStats s = chip_.last_op();
    s.start = dispatched_;
    OpRecord r;
    r.op_index = index;
    r.name = op.name();
    r.kind = std::string(OpKindName(op));
    r.layer = op.layer();
    r.chip = op.device();
    r.core = -1;
    r.start_ps = s.start.ps();
    r.end_ps = s.end.ps();
    r.flops = current_->flops;
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
    if (current_->program.cores.empty()) r.engine = "none";
    r.bound = BoundClass(s, ctx_.chip);
    r.lowering = current_->choices_json;
    out_.record.ops.push_back(std::move(r));
  }

  Simulator& sim_;
  arch::Chip& chip_;
  const v1::OperatorGraph& graph_;
  const std::vector<int>& order_;
  const LoweringContext& ctx_;
  Execution& out_;
  size_t position_ = 0;
  struct CachedLowering {
    LoweredOp op;
    uint64_t digest = 0;
  };
  std::unordered_map<std::string, CachedLowering> lowered_;
  const LoweredOp* current_ = nullptr;
  Tick dispatched_;
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
    case v1::PHASE_PREFILL:
      return static_cast<double>(batch * std::max<int64_t>(1, o.seq_len()));
    default:
      return static_cast<double>(batch);
  }
}

// The busiest router-to-router link and the busiest endpoint channel (a
// core's or memory port's injection or ejection) over the run.
void AddNocMetrics(const arch::MeshNoc& noc, Tick makespan, Execution& out) {
  const std::vector<int64_t>& busy = noc.busy_ps();
  int link = -1, port = -1;
  for (int c = 0; c < noc.num_channels(); ++c) {
    int& best = noc.IsLink(c) ? link : port;
    if (best < 0 || busy[c] > busy[best]) best = c;
  }
  const double seconds = makespan.Seconds();
  auto utilization = [&](int c) {
    return c >= 0 && seconds > 0 ? static_cast<double>(busy[c]) * 1e-12 / seconds : 0.0;
  };
  AddMetric(out.record, "noc_max_link_utilization", utilization(link), "fraction");
  AddMetric(out.record, "noc_max_port_utilization", utilization(port), "fraction");
  if (link >= 0) out.noc_busiest_link = noc.ChannelName(link);
  if (port >= 0) out.noc_busiest_port = noc.ChannelName(port);
}

}  // namespace

std::string BoundClass(const arch::OpStats& s, const arch::ChipConfig& chip) {
  double seconds = (s.end - s.start).Seconds();
  if (seconds <= 0 || s.active_cores == 0) return "overhead";
  double core_seconds = seconds * s.active_cores;
  double compute = 0;
  for (double busy : s.engine_busy_ps)
    compute = std::max(compute, busy * 1e-12 / core_seconds);
  // HBM: its bytes over peak, or its busiest channel when the access
  // pattern camps on few channels (the others idle, the total stays low).
  double hbm = std::max(s.hbm_bytes / (chip.hbm.peak_bandwidth() * seconds),
                        s.hbm_max_channel_busy_ps * 1e-12 / seconds);
  double sram = chip.shared_sram.bandwidth > 0
                    ? s.shared_sram_bytes / (chip.shared_sram.bandwidth * seconds)
                    : 0;
  // Data movement into the cores: the crossbar ports (or a mesh's core
  // channels), or the DMA engines when they are the narrower pipe; on a mesh
  // or torus also the busiest link or memory port, which a hot spot can
  // saturate while the cores' own channels idle.
  double interconnect =
      std::max(s.port_busy_ps, s.dma_busy_ps / std::max(1, chip.dma.engines)) * 1e-12 /
      core_seconds;
  interconnect = std::max(interconnect, s.noc_max_channel_busy_ps * 1e-12 / seconds);
  std::pair<double, const char*> classes[] = {
      {compute, "compute"}, {hbm, "hbm"}, {sram, "sram"}, {interconnect, "interconnect"}};
  auto best =
      std::max_element(std::begin(classes), std::end(classes),
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
      throw MappingError("op '" + op.name() + "' is on device " +
                         std::to_string(op.device()) + " but the system has one chip");
    }
  }

  const RunBounds bounds = MinimumRunBounds(graph, chip);
  if (bounds.events > static_cast<double>(options.max_events)) {
    throw LimitError("the graph needs at least " + FormatCount(bounds.events) +
                     " simulated events, above the limit of " +
                     FormatCount(static_cast<double>(options.max_events)) +
                     " (raise it with --max-events)");
  }
  if (bounds.memory_bytes > options.max_memory_bytes) {
    throw LimitError("simulating the graph needs at least " +
                     FormatCount(bounds.memory_bytes / (1 << 20)) + " MiB of memory (" +
                     std::to_string(chip.cores) +
                     " cores and its largest lowered op), above the limit of " +
                     FormatCount(options.max_memory_bytes / (1 << 20)) + " MiB" +
                     " (raise it with --max-memory)");
  }
  MemoryPlan memory(graph, chip);
  EngineCosts costs(chip);
  LoweringContext ctx{chip, costs, memory, tensors, options.lowering, options.seed};

  Execution out;
  Simulator sim(options.seed);
  sim.set_limits(options.max_events, options.max_memory_bytes);
  UtilizationTimeline timeline;
  // Launch costs are the stream's (per operator kind); the chip starts an
  // op's cores as soon as it is handed the program.
  arch::ChipConfig machine_config = chip;
  machine_config.launch_overhead = Tick();
  machine_config.op_launch_overheads.clear();
  // The chip replays repeated programs only where that is exact
  // (Chip::TimingIsStateless).
  arch::Chip machine(sim, machine_config, &timeline, options.memoize);
  Stream stream(sim, machine, graph, order, ctx, out);
  stream.Start();
  sim.Run();

  out.makespan = sim.Now();
  out.events = sim.events_processed();
  out.memo_hits = machine.memo_hits();
  out.transfers = machine.transfers();
  // The last bucket ends at the makespan, and the link rows below share
  // the chip's buckets.
  machine.CloseTimeline(out.makespan);
  out.record.timeline = timeline.Rows(out.makespan);
  if (arch::LinkTimeline* links = machine.link_timeline()) {
    // A mesh's hot links, which the `noc` average hides.
    for (TimelineRecord& row : links->HottestRows(kTimelineLinks, out.makespan)) {
      out.record.timeline.push_back(std::move(row));
    }
  }

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
        std::max_element(times.begin(), times.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->first;
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
      util = seconds > 0 ? timeline.total_bytes(c) / (chip.hbm.peak_bandwidth() * seconds)
                         : 0;
    } else if (name == "shared_sram") {
      util = seconds > 0 && chip.shared_sram.bandwidth > 0
                 ? timeline.total_bytes(c) / (chip.shared_sram.bandwidth * seconds)
                 : 0;
    } else {
      // Units that can be busy at once: cores of a class, DMA engines,
      // crossbar ports or mesh link directions.
      double capacity = timeline.capacity(static_cast<int>(c));
      util = seconds > 0 ? timeline.total_busy_ps(c) * 1e-12 / (capacity * seconds) : 0;
    }
    AddMetric(r, "utilization_" + name, util, "fraction");
  }
  if (const arch::MeshNoc* noc = machine.noc()) AddNocMetrics(*noc, out.makespan, out);
  AddMetric(r, "ops", static_cast<double>(r.ops.size()), "count");
  // Cache mode: what each cached SRAM level did (the same names with
  // sram_cache_ for the cores' caches, shared_cache_ for the shared one).
  if (const arch::CacheHierarchy* caches = machine.caches()) {
    auto add_level = [&r](const std::string& prefix, const arch::CacheLevelTotals& t) {
      if (!t.enabled) return;
      AddMetric(r, prefix + "hit_rate", t.hit_rate(), "fraction");
      AddMetric(r, prefix + "hit_lines", static_cast<double>(t.hit_lines), "count");
      AddMetric(r, prefix + "miss_lines", static_cast<double>(t.miss_lines), "count");
      AddMetric(r, prefix + "fill_bytes", t.fill_bytes, "B");
      AddMetric(r, prefix + "writeback_bytes", t.writeback_bytes, "B");
      AddMetric(r, prefix + "dirty_bytes_at_end", t.dirty_bytes, "B");
    };
    add_level("sram_cache_", caches->core_totals());
    add_level("shared_cache_", caches->shared_totals());
  }
  return out;
}

}  // namespace dsasim::workloads
