#include "workloads/lowering/memory_plan.h"

#include "sim/error.h"
#include "sim/units.h"
#include "workloads/graph/dtype.h"

namespace dsasim::workloads {

MemoryPlan::MemoryPlan(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
                       const std::unordered_set<std::string_view>* only)
    : stripe_(static_cast<uint64_t>(chip.hbm.interleave_bytes) * chip.hbm.channels()) {
  uint64_t hbm_next = 0;
  uint64_t sram_next = 0;
  // A shared SRAM in cache mode holds no tensors: everything lives in HBM
  // and the cache keeps what LRU keeps.
  const double sram_limit =
      chip.shared_sram.addressable() ? chip.shared_sram.capacity_bytes / 2 : 0;
  auto here = [only](const v1::Tensor& t) {
    return only == nullptr || only->count(t.name()) > 0;
  };
  for (const v1::Tensor& t : graph.tensors()) {
    if (t.view_of_size() > 0 || !here(t)) continue;  // views: placed below, on their base
    Placement p;
    p.bytes = TensorBytes(t);
    bool activation = t.placement() == v1::PLACEMENT_ACTIVATION ||
                      t.placement() == v1::PLACEMENT_UNSPECIFIED;
    if (activation && p.bytes > 0 && p.bytes <= sram_limit) {
      p.memory = arch::MemoryKind::kSharedSram;
      // Shared-SRAM addresses only order the buffers; SRAM has no row
      // locality to model.
      p.address = sram_next;
      sram_next += static_cast<uint64_t>(p.bytes);
    } else {
      p.memory = arch::MemoryKind::kHbm;
      p.address = hbm_next;
      uint64_t rounded =
          (static_cast<uint64_t>(p.bytes) + stripe_ - 1) / stripe_ * stripe_;
      hbm_next += rounded;
      if (!activation) hbm_bytes_ += static_cast<double>(p.bytes);
    }
    placements_.emplace(t.name(), p);
  }
  hbm_end_ = hbm_next;
  sram_end_ = sram_next;
  sram_capacity_ = chip.shared_sram.addressable() ? chip.shared_sram.capacity_bytes : 0;
  // A view occupies no memory of its own: its consumer reads the base
  // tensor where it lies (the first base for a concatenation).
  // Views of views resolve in as many passes as the chain is long.
  bool progress = true;
  while (progress) {
    progress = false;
    for (const v1::Tensor& t : graph.tensors()) {
      if (t.view_of_size() == 0 || !here(t) || placements_.count(t.name())) continue;
      auto base = placements_.find(t.view_of(0));
      if (base == placements_.end()) continue;
      Placement p = base->second;
      p.bytes = TensorBytes(t);
      placements_.emplace(t.name(), p);
      progress = true;
    }
  }
  for (const v1::Tensor& t : graph.tensors()) {
    if (here(t) && !placements_.count(t.name())) {
      throw MappingError("tensor '" + t.name() + "' is a view of '" + t.view_of(0) +
                         "', which is not a tensor of the graph (or a view cycle)");
    }
  }
  CheckHbmCapacity(hbm_bytes_, chip);
}

void CheckHbmCapacity(double stored_bytes, const arch::ChipConfig& chip) {
  if (chip.hbm.capacity_bytes > 0 && stored_bytes > chip.hbm.capacity_bytes) {
    throw MappingError("weights and KV cache need " + FormatBytes(stored_bytes) +
                       " but the chip's HBM holds " +
                       FormatBytes(chip.hbm.capacity_bytes) +
                       " (use more chips or a smaller dtype)");
  }
}

Placement MemoryPlan::Workspace(arch::MemoryKind preferred, int64_t bytes) const {
  Placement p;
  p.bytes = bytes;
  if (preferred == arch::MemoryKind::kSharedSram &&
      static_cast<double>(sram_end_) + static_cast<double>(bytes) <= sram_capacity_) {
    p.memory = arch::MemoryKind::kSharedSram;
    p.address = sram_end_;
    return p;
  }
  p.memory = arch::MemoryKind::kHbm;
  p.address = hbm_end_;
  return p;
}

}  // namespace dsasim::workloads
