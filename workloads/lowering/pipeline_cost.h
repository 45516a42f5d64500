// File: workloads/lowering/pipeline_cost.h
//
// The lowering's cheap estimate of how long a core's pipeline of steps takes,
// used to rank tilings. It mirrors what the chip model charges, without
// simulating: a load pays the DMA setup, the memory's latency and its bytes
// at the rate the core gets (its DMA/port rate, or its share of the memory's
// bandwidth derated by the access pattern's row locality and, for a wave of
// tiles, by how evenly it spreads over the channels); `stages` loads are in
// flight at once.
//
// Example:
//   PipelineCost cost(ctx);
//   double load = cost.LoadSeconds(step_bytes, run_bytes, MemoryKind::kHbm,
//   active_cores); double t = cost.PipelineSeconds(steps, load, compute, stages);
#pragma once

#include <memory>

#include "arch_models/chip/program.h"
#include "arch_models/memory/hbm/hbm_fast_model.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

class PipelineCost {
 public:
  explicit PipelineCost(const arch::ChipConfig& chip);

  // Seconds from issuing a load of `bytes` (contiguous runs of `run_bytes`)
  // until it has landed, when `active` cores stream from `memory` at once.
  double LoadSeconds(double bytes, double run_bytes, double stride_bytes,
                     arch::MemoryKind memory, int active) const;
  // Fraction of peak HBM bandwidth a load of `bytes` in runs of `run_bytes`,
  // `stride_bytes` apart (0: contiguous), sustains — row locality and
  // refresh, from the fast HBM model.
  double HbmEfficiency(double bytes, double run_bytes, double stride_bytes) const;
  // How evenly the same pattern, from address 0, spreads over the HBM
  // channels: mean / busiest channel's bytes, in (0, 1]. A stride that is a
  // multiple of the interleave period camps on few channels.
  double HbmChannelBalance(double bytes, double run_bytes, double stride_bytes) const;
  // The part of LoadSeconds that is latency (setup, memory and hop latency),
  // which deeper pipelines hide.
  double LatencySeconds(arch::MemoryKind memory) const;

  // A core running `steps` steps, each loading for `load_s` (latency
  // included) and computing for `compute_s`, with `stages` buffers: the
  // first load is exposed; after it, a step completes every
  // max(compute, transfer, load / stages) — the engine, the link, or the
  // number of loads in flight is the limit. One stage serializes load and
  // compute.
  double PipelineSeconds(double steps, double load_s, double compute_s, double transfer_s,
                         int stages) const;

 private:
  const arch::ChipConfig& chip_;
  std::unique_ptr<arch::HbmFastModel> hbm_;
};

}  // namespace dsasim::workloads
