// File: arch_models/compute/tensor_engine_info.h
//
// The registry entry (`dsasim info`) of a core's tensor engine as a whole:
// which kind it is (systolic array or MMA units, each with its own entry),
// how many per core, the element types it runs natively and at what rate,
// and whether it reads operand tiles in either layout.
//
// Example:
//   const ComponentInfo& te = TensorEngineInfo();   // type "tensor_engine"
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentInfo& TensorEngineInfo();

}  // namespace dsasim::arch
