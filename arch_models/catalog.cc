#include "arch_models/catalog.h"

#include "arch_models/compute/mma_unit.h"
#include "arch_models/compute/systolic_array.h"
#include "arch_models/compute/tensor_engine_info.h"
#include "arch_models/compute/vector_cost.h"
#include "arch_models/dma/dma_info.h"
#include "arch_models/interconnect/mesh_noc.h"
#include "arch_models/memory/cache/set_associative_cache.h"
#include "arch_models/memory/hbm/hbm_fast_model.h"
#include "arch_models/memory/scratchpad/scratchpad_allocator.h"
#include "arch_models/memory/shared_sram/shared_sram_info.h"

namespace dsasim::arch {

const ComponentRegistry& ComponentCatalog() {
  static const ComponentRegistry registry({
      &TensorEngineInfo(),
      &SystolicArray::Info(),
      &MmaUnit::Info(),
      &VectorCostTable::Info(),
      &HbmFastModel::Info(),
      &ScratchpadAllocator::Info(),
      &SetAssociativeCache::Info(),
      &MeshNoc::Info(),
      &SharedSramInfo(),
      &DmaEngineInfo(),
      &DmaCapabilityInfo(),
  });
  return registry;
}

}  // namespace dsasim::arch
