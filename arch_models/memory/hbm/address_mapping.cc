#include "arch_models/memory/hbm/address_mapping.h"

#include <algorithm>
#include <string>

#include "sim/error.h"

namespace dsasim::arch {

HbmAddressMapping::HbmAddressMapping(const HbmTiming& timing, const HbmGeometry& geometry)
    : channels_(geometry.channels),
      interleave_(static_cast<uint64_t>(geometry.interleave_bytes)),
      row_bytes_(static_cast<uint64_t>(timing.row_bytes)),
      burst_bytes_(timing.BurstBytes()),
      pseudo_channels_(timing.pseudo_channels_per_channel),
      bank_groups_(timing.bank_groups),
      banks_per_group_(timing.banks_per_group) {
  if (channels_ <= 0 || geometry.interleave_bytes <= 0 || burst_bytes_ <= 0 ||
      geometry.interleave_bytes % burst_bytes_ != 0 ||
      timing.row_bytes % burst_bytes_ != 0) {
    throw ConfigError("hbm (detailed): channels must be > 0 and interleave (" +
                      std::to_string(geometry.interleave_bytes) + " B) and page (" +
                      std::to_string(timing.row_bytes) + " B) multiples of the burst (" +
                      std::to_string(burst_bytes_) + " B)");
  }
}

BurstLocation HbmAddressMapping::Map(uint64_t address) const {
  const uint64_t chunk = address / interleave_;
  const uint64_t local =
      (chunk / static_cast<uint64_t>(channels_)) * interleave_ + address % interleave_;
  uint64_t rest = local / row_bytes_;
  BurstLocation where;
  where.channel = static_cast<int>(chunk % static_cast<uint64_t>(channels_));
  where.column =
      static_cast<int>((local % row_bytes_) / static_cast<uint64_t>(burst_bytes_));
  where.pseudo_channel = static_cast<int>(rest % static_cast<uint64_t>(pseudo_channels_));
  rest /= static_cast<uint64_t>(pseudo_channels_);
  where.bank_group = static_cast<int>(rest % static_cast<uint64_t>(bank_groups_));
  rest /= static_cast<uint64_t>(bank_groups_);
  where.bank = static_cast<int>(rest % static_cast<uint64_t>(banks_per_group_));
  where.row = static_cast<int64_t>(rest / static_cast<uint64_t>(banks_per_group_));
  return where;
}

uint64_t HbmAddressMapping::SegmentEnd(uint64_t address) const {
  const uint64_t chunk_end = (address / interleave_ + 1) * interleave_;
  // Within one chunk the channel-local address advances with the address.
  const uint64_t local_offset =
      (address / interleave_ / static_cast<uint64_t>(channels_)) * interleave_ +
      address % interleave_;
  const uint64_t row_end = address + (row_bytes_ - local_offset % row_bytes_);
  return std::min(chunk_end, row_end);
}

}  // namespace dsasim::arch
