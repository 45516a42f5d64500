#include "arch_models/memory/scratchpad/scratchpad_allocator.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sim/error.h"

namespace dsasim::arch {

ScratchpadAllocator::ScratchpadAllocator(std::string name, int64_t capacity_bytes,
                                         int banks, int64_t bank_word_bytes)
    : name_(std::move(name)), capacity_(capacity_bytes) {
  if (capacity_bytes <= 0 || banks <= 0 || bank_word_bytes <= 0) {
    throw ConfigError("scratchpad '" + name_ + "': capacity (" +
                      std::to_string(capacity_bytes) + " B), banks (" +
                      std::to_string(banks) + ") and bank word (" +
                      std::to_string(bank_word_bytes) + " B) must be > 0");
  }
  granule_ = static_cast<int64_t>(banks) * bank_word_bytes;
}

int64_t ScratchpadAllocator::RoundUp(int64_t bytes) const {
  return (bytes + granule_ - 1) / granule_ * granule_;
}

ScratchpadAllocator::BufferId ScratchpadAllocator::Reserve(int64_t bytes,
                                                           std::string_view purpose) {
  if (bytes < 0) {
    throw std::logic_error("scratchpad '" + name_ + "': negative reservation for " +
                           std::string(purpose));
  }
  const int64_t rounded = RoundUp(bytes);
  if (rounded > free_bytes()) {
    throw MappingError("scratchpad '" + name_ + "' cannot hold '" + std::string(purpose) +
                       "': asked " + std::to_string(bytes) + " B (" +
                       std::to_string(rounded) + " B in " + std::to_string(granule_) +
                       " B granules), " + std::to_string(free_bytes()) + " B free of " +
                       std::to_string(capacity_) + " B");
  }
  const BufferId id = next_id_++;
  live_.emplace(id, Buffer{rounded, std::string(purpose)});
  used_ += rounded;
  peak_ = std::max(peak_, used_);
  return id;
}

void ScratchpadAllocator::Release(BufferId id) {
  auto it = live_.find(id);
  if (it == live_.end()) {
    throw std::logic_error("scratchpad '" + name_ + "': release of buffer " +
                           std::to_string(id) + " that is not live");
  }
  used_ -= it->second.bytes;
  live_.erase(it);
}

const ComponentInfo& ScratchpadAllocator::Info() {
  static const ComponentInfo info{
      "scratchpad",
      "dsasim.v1.ScratchpadSpec",
      "Explicitly allocated on-core SRAM; a buffer that does not fit is an error.",
      {{"capacity", "B", "(required)", "bytes available for buffers"},
       {"banks", "count", "1",
        "SRAM banks; buffers are striped over all of them and round up to "
        "banks × 32 B"},
       {"read_bandwidth", "B/s", "(required)", "sustained read bandwidth into engines"},
       {"write_bandwidth", "B/s", "(required)", "sustained write bandwidth from engines"},
       {"accumulator_capacity", "B", "0", "accumulator (PSUM-like) buffer beside it"},
       {"mode", "enum", "SRAM_MODE_SCRATCHPAD",
        "SRAM_MODE_CACHE turns the same capacity into a cache in front of HBM "
        "(see sram_cache)"},
       {"cache", "message", "ways 16, line 128B", "the cache mode's organisation"}},
      {{"peak_bytes", "B", "largest bytes reserved at once"},
       {"reservations", "count", "buffers reserved"},
       {"bytes_read", "B", "bytes read by engines and DMA"},
       {"bytes_written", "B", "bytes written by engines and DMA"}}};
  return info;
}

}  // namespace dsasim::arch
