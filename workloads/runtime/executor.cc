#include "workloads/runtime/executor.h"

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "sim/units.h"
#include "workloads/analysis/bound_class.h"
#include "workloads/analysis/communication_metrics.h"
#include "workloads/analysis/link_metrics.h"
#include "workloads/analysis/replicas.h"
#include "workloads/graph/dtype.h"
#include "workloads/graph/graph_index.h"
#include "workloads/graph/op_kind.h"
#include "workloads/lowering/engine_costs.h"
#include "workloads/lowering/memory_plan.h"
#include "workloads/lowering/run_bounds.h"
#include "workloads/runtime/tensor_devices.h"

namespace dsasim::workloads {
namespace {

// Mesh/torus: the busiest links whose own utilization goes into the
// timeline (link_timeline.h says why not all).
constexpr int kTimelineLinks = 4;
// Chip-to-chip links with timeline rows of their own.
constexpr int kTimelineChipLinks = 8;

// One device's view of the graph: where its tensors lie and how its ops
// lower.
struct DeviceContext {
  std::unique_ptr<MemoryPlan> memory;
  std::unique_ptr<LoweringContext> lowering;
};

// An in-order queue of operators on one device.
struct Stream {
  int device = 0;
  std::vector<int> ops;  // op indices, in issue order
  size_t next = 0;
  bool busy = false;
};

// The state of one graph's run on the machine.
class GraphRun {
 public:
  GraphRun(arch::Machine& machine, LoweringCache& lowering,
           const v1::OperatorGraph& graph, const std::vector<int>& order,
           const GraphIndex& index, const std::vector<DeviceContext>& devices,
           Execution& out)
      : machine_(machine),
        sim_(machine.sim()),
        lowering_(lowering),
        graph_(graph),
        index_(index),
        devices_(devices),
        out_(out),
        waiting_(graph.ops_size()),
        stream_of_(graph.ops_size()),
        records_(graph.ops_size()),
        position_(graph.ops_size()),
        done_(graph.ops_size(), false) {
    for (size_t p = 0; p < order.size(); ++p) position_[order[p]] = static_cast<int>(p);
    // Per device a compute stream (s = d) and a communication stream
    // (s = chips + d), each issuing in topological order. Collectives on
    // compute cores take the compute stream, as SM-based kernels occupy
    // the cores they run on.
    const int chips = machine.num_chips();
    const arch::Interconnect* links = machine.interconnect();
    const bool dedicated =
        links != nullptr && links->config().engine == v1::COLLECTIVE_ENGINE_DEDICATED;
    streams_.resize(2 * chips);
    for (int d = 0; d < chips; ++d) streams_[d].device = streams_[chips + d].device = d;
    // Collectives match across chips by issue order on their group, as a
    // communicator's calls do: the k-th call on {0..7} of every member is
    // one instance.
    std::map<std::vector<int>, uint64_t> group_ids;
    std::map<std::pair<uint64_t, int>, uint64_t> calls;
    keys_.resize(graph.ops_size());
    for (int op : order) {
      const v1::Operator& o = graph.ops(op);
      const int d = o.device();
      const bool communication = IsCommunication(o);
      stream_of_[op] = communication && dedicated ? chips + d : d;
      streams_[stream_of_[op]].ops.push_back(op);
      waiting_[op] = static_cast<int>(index.Predecessors(op).size());
      if (communication && o.has_collective()) {
        std::vector<int> group(o.collective().group().begin(),
                               o.collective().group().end());
        const uint64_t id = group_ids.try_emplace(group, group_ids.size()).first->second;
        keys_[op] = (id << 32) | calls[{id, d}]++;
      }
    }
  }

  // Work for the links rather than the chip: a collective over more than
  // one chip, a send to another chip.
  static bool IsCommunication(const v1::Operator& op) {
    return (op.has_collective() && op.collective().group_size() > 1) ||
           (op.has_send_recv() &&
            op.send_recv().src_device() != op.send_recv().dst_device());
  }

  void Start() {
    for (size_t s = 0; s < streams_.size(); ++s) TryIssue(static_cast<int>(s));
  }

  // Throws MappingError when the simulation ran dry with ops left: a
  // collective some member never joined (groups that disagree, or calls
  // issued in different orders), which would otherwise end the run early
  // and silently. Names each stuck stream's next op and what it waits for.
  void CheckCompleted() const {
    if (finished_ == static_cast<int>(records_.size())) return;
    std::string stuck;
    int named = 0;
    for (const Stream& stream : streams_) {
      if (stream.next == stream.ops.size() && !stream.busy) continue;
      if (named++ == 3) {
        stuck += "; ...";
        break;
      }
      const int op = stream.busy ? stream.ops[stream.next - 1] : stream.ops[stream.next];
      const v1::Operator& o = graph_.ops(op);
      stuck += (stuck.empty() ? "" : "; ") + std::string("op '") + o.name() +
               "' on chip " + std::to_string(o.device());
      if (stream.busy) {
        stuck += o.has_collective()
                     ? " waits for the other members of its collective (the k-th call on "
                       "a group matches the k-th call of every member)"
                     : " never finished";
      } else {
        for (int pred : index_.Predecessors(op)) {
          if (!done_[pred]) {
            stuck += " waits for '" + graph_.ops(pred).name() + "'";
            break;
          }
        }
      }
    }
    throw MappingError("the run stalled with " +
                       std::to_string(records_.size() - finished_) +
                       " ops not run: " + stuck);
  }

  // The records in topological order, once every op has finished.
  void Collect() {
    std::vector<int> by_position(position_.size());
    for (size_t op = 0; op < position_.size(); ++op) by_position[position_[op]] = op;
    for (int op : by_position) out_.record.ops.push_back(std::move(records_[op]));
  }

 private:
  // Issues the stream's next op if the stream is idle and the op's
  // dependencies have finished.
  void TryIssue(int s) {
    Stream& stream = streams_[s];
    if (stream.busy || stream.next == stream.ops.size()) return;
    const int op = stream.ops[stream.next];
    if (waiting_[op] > 0) return;
    ++stream.next;
    stream.busy = true;
    if (IsCommunication(graph_.ops(op))) {
      IssueCommunication(op);
    } else {
      IssueCompute(op);
    }
  }

  // Collectives and sends go to the interconnect, which pays their launch
  // (collective_launch) and reports when this chip's part is done.
  void IssueCommunication(int index) {
    const v1::Operator& op = graph_.ops(index);
    arch::Interconnect* links = machine_.interconnect();
    const Tick dispatched = sim_.Now();
    const double bytes = static_cast<double>(
        TensorBytes(devices_[op.device()].lowering->tensor(op.inputs(0))));
    if (op.has_send_recv()) {
      links->Send(op.send_recv().src_device(), op.send_recv().dst_device(), bytes,
                  [this, index, dispatched, bytes](Tick, Tick end) {
                    RecordCommunication(index, dispatched, end, "send_recv", bytes,
                                        Tick());
                    Finished(index);
                  });
      return;
    }
    arch::CollectiveCall call;
    call.kind = op.collective().kind();
    call.group.assign(op.collective().group().begin(), op.collective().group().end());
    call.bytes = bytes;
    call.send_bytes.assign(op.collective().send_bytes().begin(),
                           op.collective().send_bytes().end());
    call.element_bytes = std::max<int>(
        1, static_cast<int>(
               DTypeBytes(devices_[op.device()].lowering->tensor(op.inputs(0)).dtype())));
    // The interconnect refuses calls that pair up but disagree (kinds,
    // groups, sizes); say which op made the call.
    try {
      ArriveAt(*links, index, call, dispatched);
    } catch (const MappingError& e) {
      throw MappingError("op '" + op.name() + "' on chip " + std::to_string(op.device()) +
                         ": " + e.what());
    }
  }

  void ArriveAt(arch::Interconnect& links, int index, const arch::CollectiveCall& call,
                Tick dispatched) {
    const v1::Operator& op = graph_.ops(index);
    links.Arrive(keys_[index], call, op.device(),
                 [this, index, dispatched](const arch::CollectiveResult& r) {
                   machine_.AddReductionTime(graph_.ops(index).device(), r.end,
                                             r.core_busy);
                   RecordCommunication(index, dispatched, r.end,
                                       v1::CollectiveAlgorithm_Name(r.algorithm),
                                       r.link_bytes, r.core_busy);
                   Finished(index);
                 });
  }

  // The fields every op's record has, whatever ran it.
  OpRecord& StartRecord(int index, Tick start, Tick end) {
    const v1::Operator& op = graph_.ops(index);
    OpRecord& r = records_[index];
    r.op_index = index;
    r.name = op.name();
    r.kind = std::string(OpKindName(op));
    r.layer = op.layer();
    r.chip = op.device();
    r.core = -1;
    r.start_ps = start.ps();
    r.end_ps = end.ps();
    return r;
  }

  void RecordCommunication(int index, Tick dispatched, Tick end,
                           const std::string& algorithm, double link_bytes,
                           Tick core_busy) {
    OpRecord& r = StartRecord(index, dispatched, end);
    r.engine = kLinkEngine;
    r.bound = "communication";
    JsonWriter json;
    json.BeginObject();
    json.Key("algorithm").String(algorithm);
    // Collectives: wire bytes this chip sent; send/recv: the payload.
    json.Key(algorithm == "send_recv" ? "payload_bytes" : "link_bytes")
        .Number(link_bytes);
    json.Key("core_busy_s").Number(core_busy.Seconds());
    json.EndObject();
    r.lowering = json.str();
  }

  void IssueCompute(int index) {
    const v1::Operator& op = graph_.ops(index);
    const int device = op.device();
    const LoweringCache::Entry& lowered = lowering_.Lower(op, *devices_[device].lowering);
    const Tick dispatched = sim_.Now();
    // The stream pays each op's launch — its kind's dispatch path, see
    // ChipConfig::LaunchOverhead — and the chip it drives has none of its
    // own. An op with nothing to run (a collective within one device) is not
    // launched.
    arch::Chip& chip = machine_.chip(device);
    auto run = [this, &chip, &lowered, index, dispatched] {
      chip.Run(lowered.op.program, lowered.digest,
               [this, &chip, &lowered, index, dispatched] {
                 RecordCompute(index, chip, lowered.op, dispatched);
                 Finished(index);
               });
    };
    const bool has_work =
        std::any_of(lowered.op.program.cores.begin(), lowered.op.program.cores.end(),
                    [](const arch::CoreProgram& c) { return !c.steps.empty(); });
    if (has_work) {
      sim_.PostAfter(devices_[device].lowering->chip.LaunchOverhead(OpKindName(op)), run,
                     EventPriority::kIssue);
    } else {
      run();
    }
  }

  void RecordCompute(int index, const arch::Chip& chip, const LoweredOp& lowered,
                     Tick dispatched) {
    // The op's time starts at its dispatch: the launch is part of it.
    arch::OpStats s = chip.last_op();
    s.start = dispatched;
    OpRecord& r = StartRecord(index, s.start, s.end);
    r.flops = lowered.flops;
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
    if (lowered.program.cores.empty()) r.engine = "none";
    r.bound = BoundClass(s, chip.config());
    r.lowering = lowered.choices_json;
  }

  // `index` has finished: its stream moves on, and so do the ops that
  // waited for it.
  void Finished(int index) {
    ++finished_;
    done_[index] = true;
    const int s = stream_of_[index];
    streams_[s].busy = false;
    for (int next : index_.Successors(index)) --waiting_[next];
    // Its own stream first, then the streams it unblocked, in op order: the
    // same inputs issue in the same order.
    TryIssue(s);
    for (int next : index_.Successors(index)) {
      if (waiting_[next] == 0 && stream_of_[next] != s) TryIssue(stream_of_[next]);
    }
  }

  arch::Machine& machine_;
  Simulator& sim_;
  LoweringCache& lowering_;
  const v1::OperatorGraph& graph_;
  const GraphIndex& index_;
  const std::vector<DeviceContext>& devices_;
  Execution& out_;
  std::vector<Stream> streams_;
  // Per op: dependencies not yet finished, its stream, its record, its
  // position in the topological order.
  std::vector<int> waiting_;
  std::vector<int> stream_of_;
  std::vector<OpRecord> records_;
  std::vector<int> position_;
  // Collectives: the instance key shared by the matching calls on every
  // member of the group.
  std::vector<uint64_t> keys_;
  std::vector<bool> done_;
  int finished_ = 0;
};

// Refuses a graph the limits cannot hold before any work is done.
void CheckBounds(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
                 const ExecutionOptions& options) {
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
}

void CheckDevices(const v1::OperatorGraph& graph, int chips) {
  auto refuse = [chips](const v1::Operator& op, int device) {
    throw MappingError(
        "op '" + op.name() + "' is on device " + std::to_string(device) +
        " but the system has " +
        (chips == 1 ? std::string("one chip") : std::to_string(chips) + " chips"));
  };
  for (const v1::Operator& op : graph.ops()) {
    if (op.device() >= chips) refuse(op, op.device());
    if (op.has_send_recv() && op.send_recv().dst_device() >= chips) {
      refuse(op, op.send_recv().dst_device());
    }
    if (op.has_send_recv() && op.send_recv().src_device() != op.device()) {
      throw MappingError("op '" + op.name() + "' sends from device " +
                         std::to_string(op.send_recv().src_device()) +
                         " but runs on device " + std::to_string(op.device()));
    }
    if (op.has_collective()) {
      for (int d : op.collective().group()) {
        if (d >= chips) refuse(op, d);
      }
    }
  }
}

// The chips' timeline rows (from their closed copies), scoped by chip on a
// system of several. Rows ending before `start` belong to earlier runs on
// the machine.
void AppendTimeline(arch::Machine& machine,
                    const std::vector<UtilizationTimeline>& closed, Tick start,
                    Tick makespan, RunRecord& record) {
  const bool scoped = machine.num_chips() > 1;
  for (int c = 0; c < machine.num_chips(); ++c) {
    std::vector<TimelineRecord> rows = closed[c].Rows(makespan);
    // A mesh's hot links, which the `noc` average hides; they share the
    // chip's buckets.
    if (arch::LinkTimeline* links = machine.chip(c).link_timeline()) {
      for (TimelineRecord& row : links->HottestRows(kTimelineLinks, makespan)) {
        rows.push_back(std::move(row));
      }
    }
    for (TimelineRecord& row : rows) {
      if (row.end_ps <= start.ps() && start.ps() > 0) continue;
      row.chip = c;
      if (scoped) row.component = "chip" + std::to_string(c) + "." + row.component;
      record.timeline.push_back(std::move(row));
    }
  }
}

// How much communication the chips waited on, and with pipeline stages the
// bubble (communication_metrics.h).
void AddCommunicationResults(const v1::OperatorGraph& graph, Tick start, Execution& out) {
  RunRecord& r = out.record;
  const double seconds = (out.makespan - start).Seconds();
  AddMetric(r, "chips", out.chips, "count");
  const CommunicationTime comm = MeasureCommunication(r.ops, out.chips, out.makespan);
  out.exposed_communication_s = comm.exposed_s;
  AddMetric(r, "communication_s", comm.communication_s, "s");
  AddMetric(r, "exposed_communication_s", comm.exposed_s, "s");
  const bool pipelined =
      std::any_of(graph.ops().begin(), graph.ops().end(), [](const v1::Operator& op) {
        return op.has_send_recv() &&
               op.send_recv().src_device() != op.send_recv().dst_device();
      });
  if (pipelined) {
    out.bubble_fraction = comm.idle_fraction;
    AddMetric(r, "pipeline_bubble_fraction", comm.idle_fraction, "fraction");
  }
  // Data parallelism: independent replicas (replicas.h says how they are
  // counted); tokens_per_s is their aggregate.
  const int replicas = CountReplicas(graph);
  AddMetric(r, "replicas", replicas, "count");
  AddMetric(r, "tokens_per_s_per_replica",
            seconds > 0 ? TokensOf(graph) / seconds / replicas : 0, "tokens/s");
}

std::vector<const UtilizationTimeline*> Pointers(
    const std::vector<UtilizationTimeline>& v) {
  std::vector<const UtilizationTimeline*> out;
  for (const UtilizationTimeline& t : v) out.push_back(&t);
  return out;
}

void AddTransfers(arch::TransferTotals& sum, const arch::TransferTotals& t, int sign) {
  sum.descriptors_issued += sign * t.descriptors_issued;
  sum.descriptors_completed += sign * t.descriptors_completed;
  sum.bytes_issued += sign * t.bytes_issued;
  sum.bytes_delivered += sign * t.bytes_delivered;
}

}  // namespace

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

Executor::Executor(arch::Machine& machine, const ExecutionOptions& options)
    : machine_(machine), options_(options) {}

Execution Executor::Run(const v1::OperatorGraph& graph) {
  if (machine_.broken()) {
    throw MappingError("this machine stopped in an earlier run's error; build a new one");
  }
  // A run that throws leaves its events and callbacks in the simulator:
  // the machine runs nothing more.
  try {
    return RunOnMachine(graph);
  } catch (...) {
    machine_.MarkBroken();
    throw;
  }
}

Execution Executor::RunOnMachine(const v1::OperatorGraph& graph) {
  const arch::ChipConfig& chip = machine_.config().chip;
  const int chips = machine_.num_chips();
  GraphIndex index(graph);
  std::vector<int> order = index.TopologicalOrder();
  CheckDevices(graph, chips);
  CheckBounds(graph, chip, options_);
  std::unordered_map<std::string, const v1::Tensor*> tensors;
  for (const v1::Tensor& t : graph.tensors()) tensors.emplace(t.name(), &t);

  // Each chip places its own tensors; on one chip, every tensor of the graph.
  EngineCosts costs(chip);
  std::vector<std::unordered_set<std::string_view>> on_device;
  if (chips > 1) on_device = TensorsByDevice(graph, chips);
  std::vector<DeviceContext> devices(chips);
  for (int d = 0; d < chips; ++d) {
    devices[d].memory =
        std::make_unique<MemoryPlan>(graph, chip, chips > 1 ? &on_device[d] : nullptr);
    devices[d].lowering = std::make_unique<LoweringContext>(LoweringContext{
        chip, costs, *devices[d].memory, tensors, options_.lowering, options_.seed});
  }

  Execution out;
  out.chips = chips;
  Simulator& sim = machine_.sim();
  const uint64_t events_before = sim.events_processed();
  const Tick start = sim.Now();
  // Counters are the machine's: a run reports what they gained.
  std::vector<const arch::Chip*> chip_list;
  std::vector<UtilizationTimeline> at_start;
  for (int c = 0; c < chips; ++c) {
    chip_list.push_back(&machine_.chip(c));
    at_start.push_back(machine_.chip(c).ClosedTimeline(start));
    out.memo_hits -= machine_.chip(c).memo_hits();
    AddTransfers(out.transfers, machine_.chip(c).transfers(), -1);
  }
  const TimelineTotals totals_before = SnapshotTotals(Pointers(at_start));
  arch::Interconnect* links = machine_.interconnect();
  const LinkTotals links_before = links ? SnapshotLinks(*links) : LinkTotals{};
  GraphRun run(machine_, lowering_, graph, order, index, devices, out);
  run.Start();
  sim.Run();
  run.CheckCompleted();
  run.Collect();

  out.makespan = sim.Now();
  out.events = sim.events_processed() - events_before;
  std::vector<UtilizationTimeline> at_end;
  for (int c = 0; c < chips; ++c) {
    out.memo_hits += machine_.chip(c).memo_hits();
    AddTransfers(out.transfers, machine_.chip(c).transfers(), 1);
    // The last bucket ends at the makespan, and the link rows share the
    // chips' buckets.
    at_end.push_back(machine_.chip(c).ClosedTimeline(out.makespan));
  }
  AppendTimeline(machine_, at_end, start, out.makespan, out.record);
  RunSummary summary = SummarizeRun(chip_list, Pointers(at_end), totals_before,
                                    TokensOf(graph), start, out.makespan, out.record);
  out.bound_by_kind = std::move(summary.bound_by_kind);
  out.seconds_by_kind = std::move(summary.seconds_by_kind);
  out.noc_busiest_link = std::move(summary.noc_busiest_link);
  out.noc_busiest_port = std::move(summary.noc_busiest_port);
  if (links != nullptr) {
    AddCommunicationResults(graph, start, out);
    LinkSummary link_summary = SummarizeLinks(*links, links_before, start, out.makespan,
                                              kTimelineChipLinks, out.record);
    out.busiest_link = std::move(link_summary.busiest_link);
    out.link_utilization = std::move(link_summary.utilization);
  }
  return out;
}

Execution ExecuteGraph(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
                       const ExecutionOptions& options) {
  arch::MachineConfig config;
  config.chip = chip;
  return ExecuteGraph(graph, config, options);
}

Execution ExecuteGraph(const v1::OperatorGraph& graph, const arch::MachineConfig& config,
                       const ExecutionOptions& options) {
  arch::MachineOptions machine_options;
  machine_options.seed = options.seed;
  machine_options.memoize = options.memoize;
  machine_options.max_events = options.max_events;
  machine_options.max_memory_bytes = options.max_memory_bytes;
  // Checked before the machine is built: a graph the limits refuse costs no
  // chip construction (Run checks again, for machines built elsewhere).
  CheckDevices(graph, config.chips);
  CheckBounds(graph, config.chip, options);
  arch::Machine machine(config, machine_options);
  Executor executor(machine, options);
  return executor.Run(graph);
}

}  // namespace dsasim::workloads
