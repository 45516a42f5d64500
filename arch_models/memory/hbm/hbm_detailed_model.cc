#include "arch_models/memory/hbm/hbm_detailed_model.h"

#include <algorithm>
#include <string>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

const HbmGeometry& Checked(const HbmGeometry& g) {
  if (g.channels <= 0 || g.interleave_bytes <= 0 || !(g.channel_bandwidth_Bps > 0) ||
      g.latency < Tick()) {
    throw ConfigError(
        "hbm: channels, interleave and channel bandwidth must be > 0 and latency ≥ 0");
  }
  return g;
}

}  // namespace

HbmDetailedModel::HbmDetailedModel(const HbmTiming& timing, const HbmGeometry& geometry)
    : timing_(timing),
      geometry_(Checked(geometry)),
      mapping_(timing, geometry),
      command_timing_(CommandTiming::From(
          timing, timing.ChannelPeakBandwidth() / geometry.channel_bandwidth_Bps)),
      unmodelled_latency_(Max(
          Tick(),
          geometry.latency - Tick::FromPs(command_timing_.rcd_rd + command_timing_.cl))) {
  const int pcs = timing.pseudo_channels_per_channel;
  controllers_.reserve(static_cast<size_t>(geometry.channels) * pcs);
  for (int ch = 0; ch < geometry.channels; ++ch) {
    // Channels refresh in turn, not all at once, as controllers stagger
    // refresh to keep the device's current draw flat.
    const int64_t phase = command_timing_.refi * ch / geometry.channels;
    for (int pc = 0; pc < pcs; ++pc) {
      controllers_.emplace_back(command_timing_, timing.bank_groups,
                                timing.banks_per_group, phase);
    }
  }
  is_touched_.assign(controllers_.size(), 0);
}

double HbmDetailedModel::PeakBandwidth() const {
  return geometry_.channels * geometry_.channel_bandwidth_Bps;
}

PseudoChannelController& HbmDetailedModel::controller(int channel, int pseudo_channel) {
  return controllers_.at(static_cast<size_t>(channel) *
                             timing_.pseudo_channels_per_channel +
                         pseudo_channel);
}

int64_t HbmDetailedModel::bursts() const {
  int64_t n = 0;
  for (const PseudoChannelController& c : controllers_) n += c.bursts();
  return n;
}

int64_t HbmDetailedModel::activates() const {
  int64_t n = 0;
  for (const PseudoChannelController& c : controllers_) n += c.activates();
  return n;
}

int64_t HbmDetailedModel::refreshes() const {
  int64_t n = 0;
  for (const PseudoChannelController& c : controllers_) n += c.refreshes();
  return n;
}

void HbmDetailedModel::PushRun(uint64_t address, int64_t length) {
  const auto burst = static_cast<uint64_t>(mapping_.burst_bytes());
  const int pcs = mapping_.pseudo_channels_per_channel();
  const uint64_t end = address + static_cast<uint64_t>(length);
  for (uint64_t pos = address; pos < end;) {
    const uint64_t segment_end = std::min(end, mapping_.SegmentEnd(pos));
    const BurstLocation where = mapping_.Map(pos);
    const int index = where.channel * pcs + where.pseudo_channel;
    PseudoChannelController& c = controllers_[index];
    if (!is_touched_[index]) {
      is_touched_[index] = 1;
      touched_.push_back(index);
      c.StartAccess(access_now_ps_, access_write_);
    }
    // A partial burst at either end is moved whole.
    const uint64_t bursts = (segment_end - 1) / burst - pos / burst + 1;
    for (uint64_t i = 0; i < bursts; ++i) c.Push(where.bank_group, where.bank, where.row);
    pos = segment_end;
  }
}

Tick HbmDetailedModel::Access(Tick now, const AccessPattern& p) {
  if (p.bytes > 0 && p.contiguous_bytes <= 0) {
    throw ConfigError("hbm: access of " + std::to_string(p.bytes) +
                      " bytes with contiguous_bytes ≤ 0");
  }
  if (p.bytes <= 0) return now + geometry_.latency;
  access_now_ps_ = now.ps();
  access_write_ = p.write;
  const bool flat = p.stride_bytes <= 0 || p.contiguous_bytes >= p.bytes ||
                    p.stride_bytes <= p.contiguous_bytes;
  if (flat) {
    PushRun(p.address, p.bytes);
  } else {
    const auto stride = static_cast<uint64_t>(p.stride_bytes);
    uint64_t start = p.address;
    for (int64_t left = p.bytes; left > 0; left -= p.contiguous_bytes) {
      PushRun(start, std::min(left, p.contiguous_bytes));
      start += stride;
    }
  }
  int64_t done = access_now_ps_;
  for (int index : touched_) {
    controllers_[index].Drain();
    done = std::max(done, controllers_[index].data_done_ps());
    is_touched_[index] = 0;
  }
  touched_.clear();
  (p.write ? bytes_written_ : bytes_read_) += p.bytes;
  return Tick::FromPs(done) + unmodelled_latency_;
}

}  // namespace dsasim::arch
