// File: arch_models/catalog.h
//
// Every component type dsasim models, for `dsasim info` and for the test
// that each one documents exactly the fields of its config message.
//
// Example:
//   for (const ComponentInfo* c : ComponentCatalog().types()) ...
//   const ComponentInfo* hbm = ComponentCatalog().Find("hbm");
#pragma once

#include "sim/component_info.h"

namespace dsasim::arch {

const ComponentRegistry& ComponentCatalog();

}  // namespace dsasim::arch
