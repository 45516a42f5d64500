// File: arch_models/memory/hbm/hbm_fast_model.h
//
// The fast HBM model: a descriptor chunk is served as a whole by the
// channels it touches, each channel a first-come-first-served server with a
// busy-until time. No events: Access() reserves the channels and returns when
// the last byte is delivered; the caller schedules its own completion event.
//
// Example:
//   HbmFastModel hbm(HbmTimingPreset("HBM3"),
//                    {.channels = 80, .interleave_bytes = 256,
//                     .channel_bandwidth_Bps = 41.8e9,
//                     .latency = Tick::FromNs(300)});
//   Tick done = hbm.Access(now, {.address = a, .bytes = 1 << 20,
//                                .contiguous_bytes = 1 << 20,
//                                .stride_bytes = 0, .write = false});
//
// Mechanism.
//   1. Split. The pattern is a series of runs of `contiguous_bytes` starting
//      every `stride_bytes`. Addresses interleave over channels in
//      `interleave_bytes` chunks (channel = address / interleave mod
//      channels). Bytes per channel are computed exactly: a run is cut at
//      chunk boundaries (whole rounds of all channels are added in one step)
//      and, because the channel of run i repeats once i·stride is a multiple
//      of channels·interleave, only one period of runs is walked.
//   2. Serve. Channel ch starts at max(now, busy_until[ch]) and is busy for
//      bytes_ch / (channel_bandwidth · Efficiency(pattern)). The access is
//      done when its slowest channel is, plus `latency` (request to first
//      data: tRCD + tCL, controller and network), which delays the result
//      but does not occupy the channel — later requests pipeline behind it.
//   3. Efficiency(pattern) ∈ (0, 1] — never above peak — is the product of
//      - refresh: 1 − nRFC/nREFI (all-bank refresh stalls the channel);
//      - burst waste: useful bytes / bytes of the whole bursts that carry
//        them;
//      - row locality, per pseudo-channel, as a bottleneck over three
//        resources, in tCK per row activation that serves B bytes (B = the
//        run's length within one channel, capped at row_bytes):
//          data  = bursts(B) · max(nBL, nCCD_S)   (nCCD_L when the rows in
//                  the controller's window all sit in one bank group)
//          act   = max(nRRD_S, nFAW / 4)           (activate-rate limit)
//          bank  = max(nRC, nRP + nRCD + data) / blp
//        efficiency = data_ideal / ‖(data, act, bank)‖₄ — a softened max
//        (see the .cc for why). `blp` is the number
//        of distinct banks among the kSchedulerWindowRows rows the
//        controller has queued: all of them when a run walks consecutive
//        rows (bank bits sit just above the column bits, as in DRAMsim3's
//        rorabgbachco and Ramulator 2's RoBaRaCoCh mappings), the expected
//        distinct count of uniformly random banks otherwise.
//   Streaming therefore costs only refresh (≈91 % on HBM3), random 64 B reads
//   are bank-cycle bound (≈32 % on HBM3; ≈48 % on HBM2, whose slower data
//   clock makes the same ns of bank cycle relatively cheaper), and strided
//   runs fall between.
//
// Why this is acceptable: decode-time traffic is dominated by long weight
// streams whose time is bytes / bandwidth to within the refresh tax; the
// locality term only has to rank patterns correctly, and it is checked
// against the detailed bank model. Not modelled: read/write turnaround
// (a chunk is all reads or all writes), per-bank refresh, address hashing
// (a stride that is a multiple of the interleave camps on few channels — as
// it does on hardware without hashing).
// REQUIRES: geometry fields > 0; pattern bytes ≥ 0, contiguous_bytes > 0
// when bytes > 0; `now` non-decreasing is not required (FCFS by call order).
#pragma once

#include <cstdint>
#include <vector>

#include "arch_models/memory/hbm/hbm_timing.h"
#include "sim/component_info.h"
#include "sim/time.h"

namespace dsasim::arch {

struct HbmGeometry {
  int channels = 0;  // total across stacks
  int64_t interleave_bytes = 0;
  double channel_bandwidth_Bps = 0;
  Tick latency;
};

struct AccessPattern {
  uint64_t address = 0;
  int64_t bytes = 0;
  // Length of each contiguous run; == bytes for a flat copy.
  int64_t contiguous_bytes = 0;
  // Distance between run starts; 0 if contiguous.
  int64_t stride_bytes = 0;
  bool write = false;
};

class HbmFastModel {
 public:
  // Rows a controller keeps in flight per pseudo-channel. DRAMsim3's HBM2
  // configs queue 8 commands per bank queue (component_refs §4.4); 8 rows is
  // the lookahead that lets streaming hide activations behind data while
  // random requests still collide on banks.
  static constexpr int kSchedulerWindowRows = 8;

  // Throws ConfigError on a non-positive geometry field.
  HbmFastModel(const HbmTiming& timing, const HbmGeometry& geometry);

  // Reserves the channels the pattern touches; returns when its last byte
  // is delivered. A zero-byte access returns now + latency.
  Tick Access(Tick now, const AccessPattern& pattern);

  double PeakBandwidth() const;  // bytes/s, all channels
  double Efficiency(const AccessPattern& pattern) const;
  // Bytes the pattern puts on each channel (size channels()).
  std::vector<int64_t> BytesPerChannel(const AccessPattern& pattern) const;

  int64_t bytes_read() const { return bytes_read_; }
  int64_t bytes_written() const { return bytes_written_; }
  Tick ChannelBusy(int ch) const { return busy_until_.at(ch); }
  int channels() const { return geometry_.channels; }
  const HbmTiming& timing() const { return timing_; }
  const HbmGeometry& geometry() const { return geometry_; }

  // Parameters: the fields of v1::HbmSpec.
  static const ComponentInfo& Info();

 private:
  void AddRun(uint64_t address, int64_t length, std::vector<int64_t>& per_channel) const;
  // Contiguous bytes a run of `run` bytes leaves in one channel.
  int64_t LocalRun(int64_t run) const;

  HbmTiming timing_;
  HbmGeometry geometry_;
  std::vector<Tick> busy_until_;
  int64_t bytes_read_ = 0;
  int64_t bytes_written_ = 0;
};

}  // namespace dsasim::arch
