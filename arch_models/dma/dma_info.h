// File: arch_models/dma/dma_info.h
//
// The registry entries (`dsasim info`) of a core's DMA engines and of one
// DMA capability: parameters as the fields of v1::DmaSpec and
// v1::DmaCapabilitySpec, with units, defaults and what each transform
// costs when the engines lack it.
//
// Example:
//   const ComponentInfo& dma = DmaEngineInfo();   // type "dma"
//   // arch_models/catalog.cc lists it.
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentInfo& DmaEngineInfo();
const ComponentInfo& DmaCapabilityInfo();

}  // namespace dsasim::arch
