#include "arch_models/system/collectives.h"

#include <algorithm>

#include "arch_models/system/algorithm_choice.h"
#include "arch_models/system/collective_schedule.h"
#include "arch_models/system/collective_timing.h"
#include "sim/error.h"

namespace dsasim::arch {
namespace {

std::string Describe(const CollectiveCall& call) {
  std::string group;
  for (int chip : call.group) group += (group.empty() ? "" : ",") + std::to_string(chip);
  return v1::CollectiveKind_Name(call.kind) + " over chips {" + group + "}";
}

bool SameBytesRequired(v1::CollectiveKind kind) {
  return kind == v1::COLLECTIVE_ALL_REDUCE || kind == v1::COLLECTIVE_ALL_GATHER ||
         kind == v1::COLLECTIVE_REDUCE_SCATTER;
}

}  // namespace

struct Interconnect::Instance {
  uint64_t key = 0;
  CollectiveCall call;  // the first participant's
  std::vector<double> bytes;
  std::vector<std::vector<double>> send_bytes;
  std::vector<Tick> arrived;
  std::vector<std::function<void(const CollectiveResult&)>> done;
  int count = 0;
};

Interconnect::Interconnect(Simulator& sim, const InterconnectConfig& config,
                           std::vector<double> reduce_bytes_per_s)
    : sim_(sim),
      config_(config),
      topology_(config_),
      network_(topology_),
      reduce_bytes_per_s_(std::move(reduce_bytes_per_s)),
      core_free_(config_.chips) {
  if (config_.protocols.empty()) config_.protocols.push_back({"default", Tick(), 1.0});
  if (config_.engine == v1::COLLECTIVE_ENGINE_COMPUTE_CORES) {
    if (static_cast<int>(reduce_bytes_per_s_.size()) != config_.chips) {
      throw ConfigError(
          "interconnect.collective_engine: COLLECTIVE_ENGINE_COMPUTE_CORES "
          "needs each chip's reduction rate (" +
          std::to_string(config_.chips) + " chips, " +
          std::to_string(reduce_bytes_per_s_.size()) + " rates)");
    }
    for (double rate : reduce_bytes_per_s_) {
      if (!(rate > 0)) throw ConfigError("a chip's reduction rate must be > 0");
    }
  }
}

Interconnect::~Interconnect() = default;

int Interconnect::Park(std::function<void()> fn) {
  if (free_slots_.empty()) {
    parked_.push_back(std::move(fn));
    return static_cast<int>(parked_.size()) - 1;
  }
  const int slot = free_slots_.back();
  free_slots_.pop_back();
  parked_[slot] = std::move(fn);
  return slot;
}

void Interconnect::Fire(int slot) {
  std::function<void()> fn = std::move(parked_[slot]);
  parked_[slot] = nullptr;
  free_slots_.push_back(slot);
  fn();
}

void Interconnect::Send(int src, int dst, double bytes,
                        std::function<void(Tick start, Tick end)> done) {
  const Tick ready = sim_.Now() + config_.collective_launch;
  Schedule one;
  one.transfers.push_back({0, 1, bytes, false, {}});
  const std::vector<int> chips{src, dst};
  const ProtocolParams& p = config_.protocols[ChooseProtocol(topology_, one, chips)];
  const Tick end = src == dst ? ready
                              : network_.Reserve(src, dst, bytes / p.efficiency,
                                                 ready + p.step_latency);
  const Tick start = src == dst ? ready : network_.last_start();
  const int slot = Park([done = std::move(done), start, end] { done(start, end); });
  sim_.Post(end, [this, slot] { Fire(slot); });
}

void Interconnect::HostTransfer(int chip, bool to_host, double bytes,
                                std::function<void(Tick start, Tick end)> done) {
  const Tick end = network_.ReserveHost(chip, to_host, bytes, sim_.Now());
  const Tick start = network_.last_start();
  const int slot = Park([done = std::move(done), start, end] { done(start, end); });
  sim_.Post(end, [this, slot] { Fire(slot); });
}

void Interconnect::Arrive(uint64_t key, const CollectiveCall& call, int chip,
                          std::function<void(const CollectiveResult&)> done) {
  const auto it_rank = std::find(call.group.begin(), call.group.end(), chip);
  if (it_rank == call.group.end()) {
    throw MappingError("collective " + std::to_string(key) + ": chip " +
                       std::to_string(chip) + " is not in its group (" + Describe(call) +
                       ")");
  }
  if (call.kind == v1::COLLECTIVE_KIND_UNSPECIFIED) {
    throw MappingError("collective " + std::to_string(key) + ": no kind given");
  }
  if (call.kind == v1::COLLECTIVE_BROADCAST &&
      (call.root < 0 || call.root >= static_cast<int>(call.group.size()))) {
    throw MappingError("collective " + std::to_string(key) + ": broadcast root rank " +
                       std::to_string(call.root) + " is outside " + Describe(call));
  }
  std::vector<int> sorted = call.group;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    throw MappingError("collective " + std::to_string(key) + ": " + Describe(call) +
                       " names a chip twice");
  }
  for (int c : call.group) {
    if (c < 0 || c >= config_.chips) {
      throw MappingError("collective " + std::to_string(key) + ": " + Describe(call) +
                         " names chip " + std::to_string(c) + "; the system has " +
                         std::to_string(config_.chips));
    }
  }
  const int rank = static_cast<int>(it_rank - call.group.begin());
  const int n = static_cast<int>(call.group.size());
  auto& slot = pending_[key];
  if (!slot) {
    slot = std::make_unique<Instance>();
    slot->key = key;
    slot->call = call;
    slot->bytes.assign(n, 0);
    slot->send_bytes.assign(n, {});
    slot->arrived.assign(n, Tick::Max());
    slot->done.resize(n);
  }
  Instance& in = *slot;
  if (call.kind != in.call.kind || call.group != in.call.group) {
    throw MappingError("collective " + std::to_string(key) + ": chip " +
                       std::to_string(chip) + " calls " + Describe(call) +
                       " but an earlier participant called " + Describe(in.call));
  }
  if (SameBytesRequired(call.kind) && call.bytes != in.call.bytes) {
    throw MappingError("collective " + std::to_string(key) + ": " + Describe(call) +
                       " with " + std::to_string(call.bytes) + " bytes on chip " +
                       std::to_string(chip) + " but " + std::to_string(in.call.bytes) +
                       " on an earlier participant");
  }
  if (!call.send_bytes.empty() && static_cast<int>(call.send_bytes.size()) != n) {
    throw MappingError("collective " + std::to_string(key) + ": send_bytes of chip " +
                       std::to_string(chip) + " has " +
                       std::to_string(call.send_bytes.size()) +
                       " entries for a group of " + std::to_string(n));
  }
  if (in.arrived[rank] != Tick::Max()) {
    throw MappingError("collective " + std::to_string(key) + ": chip " +
                       std::to_string(chip) + " arrived twice at " + Describe(call));
  }
  in.arrived[rank] = sim_.Now();
  in.bytes[rank] = call.bytes;
  in.send_bytes[rank] = call.send_bytes;
  in.done[rank] = std::move(done);
  if (++in.count < n) return;
  std::unique_ptr<Instance> complete = std::move(slot);
  pending_.erase(key);
  Complete(*complete);
}

void Interconnect::Complete(Instance& in) {
  const CollectiveCall& call = in.call;
  const int n = static_cast<int>(call.group.size());
  std::vector<CollectiveResult> results(n);
  if (n == 1) {
    results[0] = {in.arrived[0],
                  in.arrived[0],
                  in.arrived[0],
                  v1::COLLECTIVE_ALGORITHM_DIRECT,
                  0,
                  Tick(),
                  0,
                  0};
  } else {
    const double bytes =
        call.kind == v1::COLLECTIVE_BROADCAST ? in.bytes.at(call.root) : in.bytes[0];
    const v1::CollectiveAlgorithm algorithm =
        ChooseAlgorithm(topology_, call.kind, call.group, bytes);
    ScheduleRequest request{call.kind,     algorithm, n, in.bytes,
                            in.send_bytes, call.root, {}};
    if (algorithm == v1::COLLECTIVE_ALGORITHM_HIERARCHICAL) {
      request.inner_groups = InnerGroups(topology_, call.group);
    }
    const Schedule schedule = BuildSchedule(request);
    const int protocol = ChooseProtocol(topology_, schedule, call.group);
    std::vector<Tick> ready(n);
    for (int r = 0; r < n; ++r) ready[r] = in.arrived[r] + config_.collective_launch;
    const ScheduleTiming timing = RunSchedule(
        network_, core_free_,
        {schedule, call.group, ready, config_.protocols[protocol],
         config_.engine == v1::COLLECTIVE_ENGINE_COMPUTE_CORES, &reduce_bytes_per_s_});
    for (int r = 0; r < n; ++r) {
      const RankTiming& t = timing.ranks[r];
      results[r] = {in.arrived[r], t.start,     t.end, algorithm,
                    t.link_bytes,  t.core_busy, r,     protocol};
    }
  }
  for (int r = 0; r < n; ++r) {
    // A rank whose output needs nothing from the last arrival (a broadcast
    // root, a zero-byte exchange) ended before now; it learns of it now.
    results[r].end = Max(results[r].end, sim_.Now());
    const CollectiveResult result = results[r];
    const int slot = Park([done = std::move(in.done[r]), result] { done(result); });
    sim_.Post(result.end, [this, slot] { Fire(slot); });
  }
}

}  // namespace dsasim::arch
