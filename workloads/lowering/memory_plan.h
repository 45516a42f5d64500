// File: workloads/lowering/memory_plan.h
//
// Where each tensor lives and at which address. Weights, weight scales and
// the KV cache are in HBM. Activations stay in the chip's shared SRAM (GPU
// L2, global SRAM) when it can hold them with room for the next op's output
// — half its capacity per tensor — and go to HBM otherwise. That is the
// residency a GPU's L2 or a DSA compiler's global-buffer allocator achieves
// for inference activations; a finer cache model is the cache-mode work.
//
// A view (Tensor.view_of) shares its base tensor's placement.
//
// Every tensor starts on an HBM interleave-stripe boundary, as a page-granular
// allocator places large buffers; two layers' weights then map onto the
// channels alike, which is what lets identical layers be memoized.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/program.h"
#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

struct Placement {
  arch::MemoryKind memory = arch::MemoryKind::kHbm;
  uint64_t address = 0;
  int64_t bytes = 0;
};

// Throws MappingError when weights, scales and KV cache (`stored_bytes`)
// exceed the chip's HBM. The plan checks its exact total; `dsasim run` checks
// an estimate first, before building the graph.
void CheckHbmCapacity(double stored_bytes, const arch::ChipConfig& chip);

class MemoryPlan {
 public:
  // On a system of chips, each chip has its own plan: `only` names the
  // tensors that live on it (every tensor when null), and a view's base must
  // be among them when the view is.
  MemoryPlan(const v1::OperatorGraph& graph, const arch::ChipConfig& chip,
             const std::unordered_set<std::string_view>* only = nullptr);

  // REQUIRES: `tensor` is in the graph.
  const Placement& at(const std::string& tensor) const { return placements_.at(tensor); }
  uint64_t stripe_bytes() const { return stripe_; }
  // Scratch space for one op (split partial sums that no DMA or memory
  // reduces in place): past every tensor, stripe-aligned in HBM, reused by
  // every op since ops run one at a time. In the shared SRAM when
  // `preferred` is SRAM and `bytes` fit what the tensors leave free of it.
  Placement Workspace(arch::MemoryKind preferred, int64_t bytes) const;
  // Bytes placed in HBM; a run whose graph exceeds HBM capacity is an error.
  double hbm_bytes() const { return hbm_bytes_; }

 private:
  uint64_t stripe_;
  double hbm_bytes_ = 0;
  uint64_t hbm_end_ = 0;
  uint64_t sram_end_ = 0;
  double sram_capacity_ = 0;
  std::unordered_map<std::string, Placement> placements_;
};

}  // namespace dsasim::workloads
