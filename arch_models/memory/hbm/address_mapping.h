// File: arch_models/memory/hbm/address_mapping.h
//
// Where a physical address lives in HBM: channel, pseudo-channel, bank group,
// bank, row and column. RoBaRaCoCh-like, with the chip's channel interleave:
//
//   1. Channel. Addresses interleave over the `channels` of all stacks in
//      `interleave_bytes` chunks: chunk = a / I, channel = chunk mod C.
//   2. Channel-local address. The chunks a channel receives are contiguous
//      in its own space: L = (chunk div C) · I + a mod I.
//   3. L, least significant first:
//        | burst offset | column | pseudo-channel | bank group | bank | row |
//      widths: BurstBytes, row_bytes / BurstBytes columns, then
//      pseudo_channels_per_channel, bank_groups, banks_per_group, the rest.
//
// Why this order: a row (row_bytes of one pseudo-channel) is filled before
// the next, so a stream gets whole rows; consecutive rows alternate
// pseudo-channels and then bank groups, so a stream keeps both
// pseudo-channels busy and its column commands can alternate bank groups
// (spaced by tCCD_S, not tCCD_L) — DRAMsim3's HBM configs and Ramulator 2's
// RoBaRaCoCh put bank bits above the column bits for the same reason. The
// bank-group bits sit below the bank bits (as in DDR4/HBM controllers that
// interleave bank groups first). No XOR hashing: a stride that is a multiple
// of C · I camps on one channel, as on hardware without hashing.
//
// Example:
//   HbmAddressMapping map(HbmTimingPreset("HBM3"), geometry);
//   BurstLocation where = map.Map(0x12340);
//   uint64_t end = map.SegmentEnd(0x12340);  // same channel/PC/bank/row until
//
// REQUIRES (checked, ConfigError): interleave_bytes and row_bytes are
// multiples of BurstBytes, so no burst straddles a chunk or a row.
#pragma once

#include <cstdint>

#include "arch_models/memory/hbm/hbm_model.h"
#include "arch_models/memory/hbm/hbm_timing.h"

namespace dsasim::arch {

struct BurstLocation {
  int channel = 0;
  int pseudo_channel = 0;
  int bank_group = 0;
  int bank = 0;  // within its bank group
  int64_t row = 0;
  int column = 0;  // in bursts
};

class HbmAddressMapping {
 public:
  HbmAddressMapping(const HbmTiming& timing, const HbmGeometry& geometry);

  BurstLocation Map(uint64_t address) const;
  // First address after `address` that may map to another channel,
  // pseudo-channel, bank or row (the end of its chunk or of its row).
  uint64_t SegmentEnd(uint64_t address) const;

  int channels() const { return channels_; }
  int pseudo_channels_per_channel() const { return pseudo_channels_; }
  int64_t burst_bytes() const { return burst_bytes_; }

 private:
  int channels_;
  uint64_t interleave_;
  uint64_t row_bytes_;
  int64_t burst_bytes_;
  int pseudo_channels_;
  int bank_groups_;
  int banks_per_group_;
};

}  // namespace dsasim::arch
