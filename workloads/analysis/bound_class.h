// File: workloads/analysis/bound_class.h
//
// What limited one operator: the resource it kept busiest over its duration.
//
// Example:
//   std::string bound = BoundClass(chip.last_op(), chip.config());  // "hbm"
#pragma once

#include <string>

#include "arch_models/chip/chip.h"

namespace dsasim::workloads {

// The bottleneck class of one op from what it used: the resource with the
// highest utilization over the op's duration — "compute", "hbm", "sram",
// "interconnect" (crossbar ports, DMA engines, or a mesh's busiest channel)
// — or "overhead" when none reaches half (launch, setup and latency
// dominate). Collectives and send/recv are classed "communication" by the
// executor, not here.
std::string BoundClass(const arch::OpStats& stats, const arch::ChipConfig& chip);

}  // namespace dsasim::workloads
