// File: arch_models/system/machine.h
//
// A system of chips as one event-driven machine: one Simulator, N identical
// Chips (each with its own utilization timeline) and the links between them.
// It is long-lived: an executor may run several graphs on it one after the
// other with time continuing (a serving loop), and it is cheap to rebuild
// for each point of a sweep (no work before the first event).
//
// Example:
//   Machine machine(ParseMachineConfig(system, "dgx-h100"), MachineOptions{});
//   machine.chip(3).Run(program, [] { ... });
//   machine.sim().Run();
//
// Launch costs are software (the runtime's streams pay them), so the chips
// are built without any: ChipConfig::launch_overhead and the per-kind
// overheads are cleared here, whatever the system file says.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arch_models/chip/chip.h"
#include "arch_models/chip/chip_config.h"
#include "arch_models/system/collectives.h"
#include "arch_models/system/interconnect_config.h"
#include "sim/simulator.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {

struct MachineConfig {
  // Every chip of the system is this one.
  ChipConfig chip;
  int chips = 1;
  // The links between the chips (unused with one chip).
  InterconnectConfig interconnect;
};

// The chip (ParseChipConfig), the count and the links (ParseInterconnect)
// of a parsed system description.
MachineConfig ParseMachineConfig(const v1::System& system, std::string_view origin);

struct MachineOptions {
  uint64_t seed = 1;
  // Let each chip replay programs it has simulated (Chip, "Memoization").
  bool memoize = true;
  // Simulator::set_limits: the run stops with LimitError past them.
  uint64_t max_events = 2'000'000'000;
  double max_memory_bytes = 8.0 * (1ull << 30);
};

class Machine {
 public:
  Machine(const MachineConfig& config, const MachineOptions& options);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  Simulator& sim() { return sim_; }
  const MachineConfig& config() const { return config_; }
  int num_chips() const { return static_cast<int>(chips_.size()); }
  Chip& chip(int c) { return *chips_[c]; }
  const Chip& chip(int c) const { return *chips_[c]; }
  // Chip c's timeline as recorded so far (open: Chip::ClosedTimeline ends a
  // copy at a given time).
  const UtilizationTimeline& timeline(int c) const { return *timelines_[c]; }
  // The chip-to-chip links; null with one chip.
  Interconnect* interconnect() { return interconnect_.get(); }
  const Interconnect* interconnect() const { return interconnect_.get(); }

  // A collective on chip c's compute cores: its reductions' core time,
  // `busy`, as every core's vector engine busy over [end − busy, end). The
  // total is exact; where in the collective the time fell is not kept.
  void AddReductionTime(int chip, Tick end, Tick busy);

  // Whether a run on the machine stopped with an error: its simulator may
  // still hold that run's events, so the machine runs nothing more.
  bool broken() const { return broken_; }
  void MarkBroken() { broken_ = true; }

 private:
  MachineConfig config_;
  Simulator sim_;
  // Before the chips, which record into them.
  std::vector<std::unique_ptr<UtilizationTimeline>> timelines_;
  std::vector<std::unique_ptr<Chip>> chips_;
  std::unique_ptr<Interconnect> interconnect_;
  bool broken_ = false;
};

// How fast a chip's compute cores add two tensors, in bytes of one input
// per second, when collectives run on them: each element reads two inputs
// and writes one, so HBM at a third of its peak bounds it, and so do the
// vector engines (2-byte elements).
double CoreReductionBandwidth(const ChipConfig& chip);

}  // namespace dsasim::arch
