// File: arch_models/memory/hbm/hbm_timing.h
//
// JEDEC timing and organisation of one HBM generation, as data. Parameters
// named n* are in cycles of tCK (the command clock), as Ramulator 2 and
// DRAMsim3 write them; a model converts with tCK_ps.
//
// Example:
//   const HbmTiming& t = HbmTimingPreset("HBM3");
//   double act_to_read_ns = t.nRCD_RD * t.tCK_ps * 1e-3;   // 19.4 ns
//   int64_t burst = t.BurstBytes();                        // 32 B
//
// Contract: HbmTimingPreset knows "HBM2", "HBM2E", "HBM3", "HBM3E" (case
// insensitive) and throws ConfigError listing them for any other name. The
// returned reference lives for the whole program. HBM2E and HBM3E are
// DERIVED (`derived` is true): their ns-based parameters are HBM2's and
// HBM3's scaled to the faster clock; see hbm_timing.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace dsasim::arch {

struct HbmTiming {
  std::string_view name;
  double data_rate_bps = 0;  // per pin
  double tCK_ps = 0;         // command clock period
  int burst_length = 0;      // nBL: tCK cycles one burst occupies the data bus
  int nCL = 0;
  int nCWL = 0;
  int nRCD_RD = 0;
  int nRCD_WR = 0;
  int nRP = 0;
  int nRAS = 0;
  int nRC = 0;
  int nWR = 0;
  int nRTP = 0;
  int nCCD_S = 0;  // column command spacing, different bank groups
  int nCCD_L = 0;  // column command spacing, same bank group
  int nRRD_S = 0;
  int nRRD_L = 0;
  int nFAW = 0;  // at most four activates per nFAW window
  int nWTR_S = 0;
  int nWTR_L = 0;
  int nRFC = 0;   // all-bank refresh cycle
  int nREFI = 0;  // refresh interval
  int bank_groups = 0;
  int banks_per_group = 0;
  int pseudo_channels_per_channel = 0;
  int64_t row_bytes = 0;  // page size of one pseudo-channel
  int channel_width_bits = 0;
  bool derived = false;  // scaled from another preset, not from a datasheet
  std::string_view source;

  int PseudoChannelWidthBits() const {
    return channel_width_bits / pseudo_channels_per_channel;
  }
  // Bytes one burst moves on one pseudo-channel: width × beats, where beats =
  // data rate × tCK × nBL (BL4 on HBM2, BL8 on HBM3 — both 32 B).
  int64_t BurstBytes() const;
  // Peak bytes/s of one channel (all its pseudo-channels).
  double ChannelPeakBandwidth() const { return data_rate_bps * channel_width_bits / 8.0; }
  int BanksPerPseudoChannel() const { return bank_groups * banks_per_group; }
};

// Throws ConfigError naming the known presets when `name` is not one.
const HbmTiming& HbmTimingPreset(std::string_view name);
std::span<const HbmTiming> HbmTimingPresets();

}  // namespace dsasim::arch
