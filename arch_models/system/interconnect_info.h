// File: arch_models/system/interconnect_info.h
//
// The chip-to-chip interconnect's parameters and statistics for `dsasim
// info` (sim/component_info.h): one entry per field of
// v1::InterconnectSpec. The component catalog (arch_models/catalog.cc)
// lists it once the Machine links this library.
//
// Example:
//   for (const ParamInfo& p : InterconnectInfo().params) ...
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentInfo& InterconnectInfo();

}  // namespace dsasim::arch
