#include "arch_models/system/system_catalog.h"

#include "arch_models/catalog.h"
#include "arch_models/system/interconnect_info.h"

namespace dsasim::arch {

const ComponentRegistry& SystemCatalog() {
  static const ComponentRegistry registry([] {
    std::vector<const ComponentInfo*> types = ComponentCatalog().types();
    types.push_back(&InterconnectInfo());
    return types;
  }());
  return registry;
}

}  // namespace dsasim::arch
