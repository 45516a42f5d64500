// File: arch_models/system/interconnect_info.h
//
// The chip-to-chip interconnect's parameters and statistics for `dsasim
// info` (sim/component_info.h): one entry per field of
// v1::InterconnectSpec. SystemCatalog (system_catalog.h) lists it beside
// the chip's components.
//
// Example:
//   for (const ParamInfo& p : InterconnectInfo().params) ...
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentInfo& InterconnectInfo();

}  // namespace dsasim::arch
