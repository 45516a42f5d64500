// File: arch_models/memory/hbm/hbm_detailed_model.h
//
// The detailed HBM model: every 32 B burst goes through its pseudo-channel's
// FR-FCFS controller and bank state machine (pseudo_channel_controller.h),
// located by the RoBaRaCoCh-like address mapping (address_mapping.h).
// Stacks → channels → pseudo-channels → bank groups → banks, JEDEC timing
// from HbmTiming. It exists to check the fast model (hbm_fast_model.h) and
// to study access patterns; select it with chip.hbm.mode=HBM_MODE_DETAILED.
//
// Example:
//   HbmDetailedModel hbm(HbmTimingPreset("HBM3"),
//                        {.channels = 16, .interleave_bytes = 256,
//                         .channel_bandwidth_Bps = 51.2e9,
//                         .latency = Tick::FromNs(100)});
//   Tick done = hbm.Access(now, {.address = 0, .bytes = 1 << 20,
//                                .contiguous_bytes = 1 << 20});
//
// Mechanism. Access() walks the pattern's runs, cuts each into segments
// that stay in one channel, pseudo-channel, bank and row, and pushes their
// bursts, in address order, into the controllers (starting each touched
// controller at `now`). It then drains every touched controller and returns
// the end of the last data transfer plus the part of geometry.latency that
// the banks do not model: latency − (tRCD_RD + tCL), the controller and the
// network. An idle row-miss burst therefore costs burst + latency, the same
// as in the fast model.
//
// Why synchronous is acceptable. The chip calls Access() once per
// descriptor chunk and posts one completion event, so the model sees one
// access at a time: FR-FCFS reorders bursts within an access (within the
// bounded queue), and accesses interact only through the persistent state
// they leave — open rows, bank and bus busy times, refresh phase — not by
// interleaving their bursts. A chunk is tens of KiB per channel in the
// traffic that matters (weight streams), far more than the 32-burst queue,
// so what is lost is the interleaving at chunk boundaries: a few bursts per
// chunk per pseudo-channel. Concurrent chunks to the same channel are served
// first come, first served by call order, as in the fast model.
//
// Cost: about one scheduling step (a scan of the pseudo-channel's banks)
// per command; see the report of HbmDetailedModelSpeed in the tests for
// bursts per second. A Llama-3-8B decode step (~16 GB, 5e8 bursts) takes
// minutes, not milliseconds: use it to check patterns, not for sweeps.
//
// REQUIRES: geometry as for HbmFastModel; interleave and page multiples of
// the burst (ConfigError otherwise).
#pragma once

#include <cstdint>
#include <vector>

#include "arch_models/memory/hbm/address_mapping.h"
#include "arch_models/memory/hbm/hbm_model.h"
#include "arch_models/memory/hbm/hbm_timing.h"
#include "arch_models/memory/hbm/pseudo_channel_controller.h"
#include "sim/time.h"

namespace dsasim::arch {

class HbmDetailedModel final : public HbmModel {
 public:
  // Throws ConfigError on a non-positive geometry field or a misaligned
  // interleave.
  HbmDetailedModel(const HbmTiming& timing, const HbmGeometry& geometry);

  Tick Access(Tick now, const AccessPattern& pattern) override;
  double PeakBandwidth() const override;
  int64_t bytes_read() const override { return bytes_read_; }
  int64_t bytes_written() const override { return bytes_written_; }

  // Statistics summed over pseudo-channels.
  int64_t bursts() const;
  int64_t activates() const;
  int64_t refreshes() const;

  const HbmAddressMapping& mapping() const { return mapping_; }
  const CommandTiming& command_timing() const { return command_timing_; }
  // Tests: the controller of one pseudo-channel.
  PseudoChannelController& controller(int channel, int pseudo_channel);

 private:
  void PushRun(uint64_t address, int64_t length);

  HbmTiming timing_;
  HbmGeometry geometry_;
  HbmAddressMapping mapping_;
  CommandTiming command_timing_;
  Tick unmodelled_latency_;
  std::vector<PseudoChannelController> controllers_;  // channel · PCs + PC
  // Per access: controllers started, in first-touch order.
  std::vector<int> touched_;
  std::vector<uint8_t> is_touched_;
  int64_t access_now_ps_ = 0;
  bool access_write_ = false;
  int64_t bytes_read_ = 0;
  int64_t bytes_written_ = 0;
};

}  // namespace dsasim::arch
