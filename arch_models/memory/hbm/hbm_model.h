// File: arch_models/memory/hbm/hbm_model.h
//
// What the chip sees of HBM: a synchronous server of descriptor chunks.
// Access() reserves whatever the chunk needs (channels, banks) starting from
// the model's persistent state and returns when the chunk's last byte is
// delivered; the caller posts its own completion event. Two implementations,
// chosen by v1::HbmSpec.mode:
//   HBM_MODE_FAST      HbmFastModel: per-channel busy-until servers with a
//                      locality formula (hbm_fast_model.h).
//   HBM_MODE_DETAILED  HbmDetailedModel: per-burst bank state machines and
//                      FR-FCFS controllers (hbm_detailed_model.h).
//
// Example:
//   std::unique_ptr<HbmModel> hbm = MakeHbmModel(
//       HbmTimingPreset("HBM3"), geometry, v1::HBM_MODE_DETAILED);
//   Tick done = hbm->Access(now, {.address = a, .bytes = 4096,
//                                 .contiguous_bytes = 4096});
//
// Contract: Access() is called in program order; `now` need not be
// non-decreasing (each resource serves its requests first come, first
// served, by call order). A zero-byte access returns now + latency.
// bytes_read()/bytes_written() count the bytes asked for, not the bursts.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "dsasim/v1/system.pb.h"
#include "sim/time.h"

namespace dsasim::arch {

struct HbmTiming;

struct HbmGeometry {
  int channels = 0;  // total across stacks
  int64_t interleave_bytes = 0;
  double channel_bandwidth_Bps = 0;
  // Request to first data of an idle row-miss read: tRCD + tCL, controller
  // and network.
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
  // One element of a gather (an index-list descriptor's piece, a page of a
  // paged cache): it is not the next chunk of a stream, whatever else is
  // queued. The requester knows; the memory cannot tell from one access.
  bool scattered = false;
};

class HbmModel {
 public:
  virtual ~HbmModel();
  // Serves `pattern`, arriving at `now`; returns when its last byte lands.
  virtual Tick Access(Tick now, const AccessPattern& pattern) = 0;
  virtual double PeakBandwidth() const = 0;  // bytes/s, all channels
  virtual int64_t bytes_read() const = 0;
  virtual int64_t bytes_written() const = 0;
  // Busy picoseconds per channel since construction, where the model keeps
  // them (fast mode); empty otherwise. A busiest channel near saturation
  // while the total is far below peak is an access pattern camping on few
  // channels.
  virtual const std::vector<int64_t>& channel_busy_ps() const;
};

// Throws ConfigError for a mode it does not know or a geometry the chosen
// model rejects.
std::unique_ptr<HbmModel> MakeHbmModel(const HbmTiming& timing,
                                       const HbmGeometry& geometry, v1::HbmMode mode);

}  // namespace dsasim::arch
