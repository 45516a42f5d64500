// File: arch_models/system/system_catalog.h
//
// Every component type of a system of chips, for `dsasim info`: the chip's
// components (arch_models/catalog.h) and the chip-to-chip interconnect,
// which lives one layer up (arch_models/system) and so cannot be listed by
// the chip's catalog.
//
// Example:
//   const ComponentInfo* links = SystemCatalog().Find("interconnect");
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentRegistry& SystemCatalog();

}  // namespace dsasim::arch
