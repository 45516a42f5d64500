// File: arch_models/memory/scratchpad/scratchpad_allocator.h
//
// Explicit allocation of a core's scratchpad (SBUF, VMEM, shared memory):
// the lowering reserves a buffer per tile and releases it when the tile is
// consumed. A reservation that does not fit is a MappingError — never a
// silent spill, because a spill is a different program the compiler would
// have to choose.
//
// Example:
//   ScratchpadAllocator sbuf("core0.sbuf", 24 << 20, /*banks=*/128);
//   auto w = sbuf.Reserve(128 * 512 * 2, "matmul.weights");
//   ...
//   sbuf.Release(w);
//
// Contract:
//   - Sizes round up to the allocation granule = banks × bank_word_bytes: a
//     buffer is striped across every bank so that a full-width engine read
//     touches each bank once; a partial stripe would leave banks idle and is
//     wasted anyway.
//   - Capacity accounting only (used + request ≤ capacity): no addresses, no
//     fragmentation. The lowering allocates and frees in tile order, so a
//     compacting allocator's worst case is rare; modelling fragmentation
//     would need addresses the cost model does not otherwise use.
//   - Release of an id that is not live throws std::logic_error (a bug in
//     the caller, not in the user's input).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sim/component_info.h"

namespace dsasim::arch {

class ScratchpadAllocator {
 public:
  using BufferId = int32_t;
  // Assumed bank word: 32 B per bank per access (wide SRAM macros).
  static constexpr int64_t kDefaultBankWordBytes = 32;

  // Throws ConfigError on capacity ≤ 0, banks ≤ 0 or bank_word_bytes ≤ 0.
  ScratchpadAllocator(std::string name, int64_t capacity_bytes, int banks,
                      int64_t bank_word_bytes = kDefaultBankWordBytes);

  // Throws MappingError naming the scratchpad, purpose, bytes asked (and
  // rounded) and bytes free when it does not fit. REQUIRES: bytes ≥ 0.
  BufferId Reserve(int64_t bytes, std::string_view purpose);
  void Release(BufferId id);

  int64_t used() const { return used_; }
  int64_t peak() const { return peak_; }
  int64_t capacity() const { return capacity_; }
  int64_t free_bytes() const { return capacity_ - used_; }
  int64_t granule() const { return granule_; }
  int64_t RoundUp(int64_t bytes) const;
  int live_buffers() const { return static_cast<int>(live_.size()); }
  const std::string& name() const { return name_; }

  // Parameters: the fields of v1::ScratchpadSpec.
  static const ComponentInfo& Info();

 private:
  struct Buffer {
    int64_t bytes;
    std::string purpose;
  };
  std::string name_;
  int64_t capacity_;
  int64_t granule_;
  int64_t used_ = 0;
  int64_t peak_ = 0;
  BufferId next_id_ = 0;
  std::unordered_map<BufferId, Buffer> live_;
};

}  // namespace dsasim::arch
