#include "arch_models/memory/hbm/pseudo_channel_controller.h"

#include <algorithm>
#include <cmath>

#include "sim/error.h"

namespace dsasim::arch {

CommandTiming CommandTiming::From(const HbmTiming& t, double clock_scale) {
  auto ps = [&](int n) { return static_cast<int64_t>(std::llround(n * t.tCK_ps)); };
  auto data_clocks = [&](int n) {
    return static_cast<int64_t>(std::llround(n * t.tCK_ps * clock_scale));
  };
  CommandTiming c{};
  c.tck = ps(1);
  c.burst = data_clocks(t.burst_length);
  c.cl = ps(t.nCL);
  c.cwl = ps(t.nCWL);
  c.rcd_rd = ps(t.nRCD_RD);
  c.rcd_wr = ps(t.nRCD_WR);
  c.rp = ps(t.nRP);
  c.ras = ps(t.nRAS);
  c.rc = ps(t.nRC);
  c.wr = ps(t.nWR);
  c.rtp = ps(t.nRTP);
  c.ccd_s = data_clocks(t.nCCD_S);
  c.ccd_l = data_clocks(t.nCCD_L);
  c.rrd_s = ps(t.nRRD_S);
  c.rrd_l = ps(t.nRRD_L);
  c.faw = ps(t.nFAW);
  c.wtr_s = ps(t.nWTR_S);
  c.wtr_l = ps(t.nWTR_L);
  c.rtw = c.cl + c.burst + 2 * c.tck - c.cwl;
  c.rfc = ps(t.nRFC);
  c.refi = ps(t.nREFI);
  if (c.refi <= c.rfc || c.burst <= 0) {
    throw ConfigError("hbm (detailed): preset " + std::string(t.name) +
                      " needs tREFI > tRFC and a positive burst");
  }
  return c;
}

PseudoChannelController::PseudoChannelController(const CommandTiming& timing,
                                                 int bank_groups, int banks_per_group,
                                                 int64_t refresh_phase_ps)
    : t_(timing),
      banks_per_group_(banks_per_group),
      banks_(static_cast<size_t>(bank_groups) * banks_per_group),
      groups_(bank_groups),
      next_refresh_(timing.refi + refresh_phase_ps) {
  faw_.fill(kNever);
  for (size_t b = 0; b < banks_.size(); ++b) {
    banks_[b].group = static_cast<int>(b % static_cast<size_t>(bank_groups));
    banks_[b].queue.reserve(kQueueDepth);
  }
}

void PseudoChannelController::StartAccess(int64_t now_ps, bool write) {
  write_ = write;
  floor_ = std::max(floor_, now_ps);
  if (now_ps >= next_refresh_) {
    // Refreshes that fell in an idle gap cost nothing but the last one,
    // which may still be running (and closes every bank).
    next_refresh_ += (now_ps - next_refresh_) / t_.refi * t_.refi;
    Refresh();
  }
}

void PseudoChannelController::Push(int bank_group, int bank, int64_t row) {
  while (queued_ == kQueueDepth) Step();
  Bank& k = banks_[static_cast<size_t>(bank) * groups_.size() + bank_group];
  k.queue.push_back({row, next_seq_++});
  ++queued_;
  if (k.open_row == row) ++k.hits;
}

void PseudoChannelController::Drain() {
  while (queued_ > 0) Step();
}

void PseudoChannelController::Record(DramCommand c, int bank, int64_t row, int64_t t) {
  if (trace_ == nullptr) return;
  const int groups = static_cast<int>(groups_.size());
  trace_->push_back(
      {c, bank < 0 ? -1 : bank % groups, bank < 0 ? -1 : bank / groups, row, t});
}

void PseudoChannelController::Step() {
  constexpr uint64_t kNoSeq = ~uint64_t{0};
  int best = -1;
  int64_t best_t = std::numeric_limits<int64_t>::max();
  bool best_hit = false;
  uint64_t best_seq = kNoSeq;
  for (int b = 0; b < static_cast<int>(banks_.size()); ++b) {
    const Bank& k = banks_[b];
    if (k.queue.empty()) continue;
    const Group& g = groups_[k.group];
    int64_t t;
    uint64_t seq = k.queue.front().seq;
    const bool hit = k.hits > 0;
    if (hit) {
      for (const Entry& e : k.queue) {
        if (e.row == k.open_row) {
          seq = e.seq;
          break;
        }
      }
      t = std::max({floor_, last_col_ + t_.ccd_s, g.last_col + t_.ccd_l});
      if (write_) {
        t = std::max({t, k.next_wr, bus_free_ - t_.cwl, last_read_ + t_.rtw});
      } else {
        t = std::max({t, k.next_rd, bus_free_ - t_.cl, write_end_ + t_.wtr_s,
                      g.write_end + t_.wtr_l});
      }
    } else if (k.open_row != kNoRow) {
      t = std::max(floor_, k.next_pre);
    } else {
      t = std::max({floor_, k.next_act, last_act_ + t_.rrd_s, g.last_act + t_.rrd_l,
                    faw_[faw_next_] + t_.faw});
    }
    if (t < best_t ||
        (t == best_t && (hit > best_hit || (hit == best_hit && seq < best_seq)))) {
      best = b;
      best_t = t;
      best_hit = hit;
      best_seq = seq;
    }
  }
  if (best_t >= next_refresh_) {
    Refresh();
    return;
  }

  Bank& k = banks_[best];
  Group& g = groups_[k.group];
  const int64_t t = best_t;
  if (best_hit) {
    auto it = std::find_if(k.queue.begin(), k.queue.end(),
                           [&](const Entry& e) { return e.row == k.open_row; });
    k.queue.erase(it);
    --k.hits;
    --queued_;
    ++bursts_;
    last_col_ = g.last_col = t;
    if (write_) {
      bus_free_ = t + t_.cwl + t_.burst;
      write_end_ = g.write_end = bus_free_;
      k.next_pre = std::max(k.next_pre, bus_free_ + t_.wr);
    } else {
      bus_free_ = t + t_.cl + t_.burst;
      last_read_ = t;
      k.next_pre = std::max(k.next_pre, t + t_.rtp);
    }
    Record(write_ ? DramCommand::kWrite : DramCommand::kRead, best, k.open_row, t);
  } else if (k.open_row != kNoRow) {
    Record(DramCommand::kPrecharge, best, k.open_row, t);
    k.open_row = kNoRow;
    k.next_act = std::max(k.next_act, t + t_.rp);
  } else {
    k.open_row = k.queue.front().row;
    k.hits = static_cast<int>(
        std::count_if(k.queue.begin(), k.queue.end(),
                      [&](const Entry& e) { return e.row == k.open_row; }));
    k.next_act = t + t_.rc;
    k.next_pre = t + t_.ras;
    k.next_rd = t + t_.rcd_rd;
    k.next_wr = t + t_.rcd_wr;
    last_act_ = g.last_act = t;
    faw_[faw_next_] = t;
    faw_next_ = (faw_next_ + 1) % static_cast<int>(faw_.size());
    ++activates_;
    Record(DramCommand::kActivate, best, k.open_row, t);
  }
}

void PseudoChannelController::Refresh() {
  // REF needs every bank precharged: open banks get a PRE-all once their
  // own PRE limits allow (not before the refresh is due), then tRP.
  int64_t start = next_refresh_;
  int64_t precharge_all = kNever;
  for (const Bank& k : banks_) {
    if (k.open_row != kNoRow) {
      precharge_all = std::max({precharge_all, next_refresh_, k.next_pre});
    } else {
      start = std::max(start, k.next_act);
    }
  }
  if (precharge_all != kNever) start = std::max(start, precharge_all + t_.rp);
  const int64_t end = start + t_.rfc;
  for (Bank& k : banks_) {
    k.open_row = kNoRow;
    k.hits = 0;
    k.next_act = std::max(k.next_act, end);
  }
  floor_ = std::max(floor_, end);
  next_refresh_ += t_.refi;
  ++refreshes_;
  Record(DramCommand::kRefresh, -1, kNoRow, start);
}

}  // namespace dsasim::arch
