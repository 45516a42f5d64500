#include "arch_models/system/machine.h"

#include <algorithm>
#include <string>

namespace dsasim::arch {

MachineConfig ParseMachineConfig(const v1::System& system, std::string_view origin) {
  MachineConfig config;
  config.chip = ParseChipConfig(system, origin);
  config.chips = system.has_chips() ? system.chips() : 1;
  if (config.chips > 1)
    config.interconnect = ParseInterconnect(system, std::string(origin));
  return config;
}

Machine::Machine(const MachineConfig& config, const MachineOptions& options)
    : config_(config), sim_(options.seed) {
  sim_.set_limits(options.max_events, options.max_memory_bytes);
  ChipConfig hardware = config.chip;
  hardware.launch_overhead = Tick();
  hardware.op_launch_overheads.clear();
  for (int c = 0; c < config.chips; ++c) {
    timelines_.push_back(std::make_unique<UtilizationTimeline>());
    chips_.push_back(
        std::make_unique<Chip>(sim_, hardware, timelines_.back().get(), options.memoize));
  }
  if (config.chips > 1) {
    interconnect_ = std::make_unique<Interconnect>(
        sim_, config.interconnect,
        std::vector<double>(config.chips, CoreReductionBandwidth(config.chip)));
    // Link rows share the chips' buckets.
    interconnect_->EnableLinkTimeline(timelines_.front()->max_buckets(),
                                      timelines_.front()->initial_width());
  }
}

void Machine::AddReductionTime(int chip, Tick end, Tick busy) {
  UtilizationTimeline& timeline = *timelines_[chip];
  const int vector = timeline.Find("vector");
  if (vector < 0 || busy <= Tick()) return;
  const Tick start = busy < end ? end - busy : Tick();
  timeline.AddBusyUnits(vector, start, end, config_.chip.cores);
}

double CoreReductionBandwidth(const ChipConfig& chip) {
  return std::min(chip.hbm.peak_bandwidth() / 3, 2 * chip.PeakVectorOps());
}

Machine::~Machine() = default;

}  // namespace dsasim::arch
