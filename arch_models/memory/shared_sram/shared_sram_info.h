// File: arch_models/memory/shared_sram/shared_sram_info.h
//
// The registry entry (`dsasim info`) of the on-chip SRAM shared by all cores
// (GPU L2, global SRAM): one bandwidth server with a fixed latency, and
// optionally atomic add in place.
//
// Example:
//   const ComponentInfo& l2 = SharedSramInfo();   // type "shared_sram"
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentInfo& SharedSramInfo();

}  // namespace dsasim::arch
