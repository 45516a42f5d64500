#include "workloads/lowering/pipeline_cost.h"

#include <algorithm>
#include <vector>

#include "arch_models/memory/hbm/hbm_timing.h"

namespace dsasim::workloads {

PipelineCost::PipelineCost(const arch::ChipConfig& chip) : chip_(chip) {
  arch::HbmGeometry g;
  g.channels = chip.hbm.channels();
  g.interleave_bytes = static_cast<int64_t>(chip.hbm.interleave_bytes);
  g.channel_bandwidth_Bps = chip.hbm.channel_bandwidth();
  g.latency = chip.hbm.latency;
  hbm_ =
      std::make_unique<arch::HbmFastModel>(arch::HbmTimingPreset(chip.hbm.technology), g);
}

double PipelineCost::LatencySeconds(arch::MemoryKind memory) const {
  Tick memory_latency =
      memory == arch::MemoryKind::kHbm ? chip_.hbm.latency : chip_.shared_sram.latency;
  return (chip_.dma.setup + memory_latency + chip_.noc.hop_latency).Seconds();
}

namespace {

// A read from address 0 of `bytes` in runs of `run_bytes`, `stride_bytes`
// apart, with the sizes rounded to what a pattern can be (≥ 1 byte, one run
// at least, no stride when one run covers it).
arch::AccessPattern PatternOf(double bytes, double run_bytes, double stride_bytes) {
  int64_t run = std::max<int64_t>(1, static_cast<int64_t>(run_bytes));
  int64_t total = std::max<int64_t>(run, static_cast<int64_t>(bytes));
  int64_t stride =
      run < total ? std::max<int64_t>(run, static_cast<int64_t>(stride_bytes)) : 0;
  return arch::AccessPattern{0, total, run, stride, false};
}

}  // namespace

double PipelineCost::HbmEfficiency(double bytes, double run_bytes,
                                   double stride_bytes) const {
  return hbm_->Efficiency(PatternOf(bytes, run_bytes, stride_bytes));
}

double PipelineCost::HbmChannelBalance(double bytes, double run_bytes,
                                       double stride_bytes) const {
  const arch::AccessPattern p = PatternOf(bytes, run_bytes, stride_bytes);
  const std::vector<int64_t> per_channel = hbm_->BytesPerChannel(p);
  const int64_t busiest = *std::max_element(per_channel.begin(), per_channel.end());
  return busiest > 0 ? static_cast<double>(p.bytes) /
                           (static_cast<double>(per_channel.size()) * busiest)
                     : 1.0;
}

double PipelineCost::LoadSeconds(double bytes, double run_bytes, double stride_bytes,
                                 arch::MemoryKind memory, int active) const {
  double per_core =
      std::min(chip_.dma.bandwidth * chip_.dma.engines, chip_.noc.core_bandwidth());
  double shared;
  if (memory == arch::MemoryKind::kHbm) {
    shared = hbm_->PeakBandwidth() * HbmEfficiency(bytes, run_bytes, stride_bytes);
  } else {
    shared = chip_.shared_sram.bandwidth > 0 ? chip_.shared_sram.bandwidth : per_core;
  }
  double rate = std::min(per_core, shared / std::max(1, active));
  return LatencySeconds(memory) + bytes / rate;
}

double PipelineCost::PipelineSeconds(double steps, double load_s, double compute_s,
                                     double transfer_s, int stages) const {
  if (steps <= 0) return 0;
  if (stages <= 1) return steps * (load_s + compute_s);
  double interval = std::max({compute_s, transfer_s, load_s / stages});
  return load_s + (steps - 1) * interval + compute_s;
}

}  // namespace dsasim::workloads
