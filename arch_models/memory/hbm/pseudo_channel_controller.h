// File: arch_models/memory/hbm/pseudo_channel_controller.h
//
// One HBM pseudo-channel and its memory controller, burst by burst: a bank
// state machine per bank (ACT, RD/WR, PRE), all-bank refresh (REF) and an
// FR-FCFS scheduler over a bounded queue. No events: the controller issues
// each command at its earliest legal time, computed from the times of the
// commands before it, so a whole access is scheduled in one call.
//
// Example:
//   PseudoChannelController pc(CommandTiming::From(t, 1.0), t.bank_groups,
//                              t.banks_per_group, /*refresh_phase_ps=*/0);
//   pc.StartAccess(/*now_ps=*/0, /*write=*/false);
//   pc.Push(/*bank_group=*/0, /*bank=*/1, /*row=*/42);
//   pc.Drain();
//   int64_t data_done_ps = pc.data_done_ps();
//
// Scheduling (FR-FCFS, non-delaying). The queue holds at most kQueueDepth
// bursts; Push() issues commands while it is full. Each step looks at every
// bank with queued bursts and its next command: a column command (RD/WR) for
// the oldest burst that hits the open row; else PRE if another row is open
// (never while hits to the open row are queued: row hits first); else ACT
// for the bank's oldest burst. The command with the earliest legal time is
// issued; ties go to row hits, then to the oldest burst. This is what a
// cycle-level FR-FCFS does (each cycle: ready row hits first, then the
// oldest ready command) without visiting idle cycles. Row and column
// commands use separate command buses in HBM, so they do not contend.
//
// Constraints, all from HbmTiming (CommandTiming converts them to ps):
//   ACT  ≥ bank: last ACT + tRC, PRE + tRP;  tRRD_S (any bank), tRRD_L
//        (same group) after the last ACT; the 4th-last ACT + tFAW.
//   RD   ≥ ACT + tRCD_RD; last column + tCCD_S (any group), + tCCD_L (same
//        group); data (RD + tCL) not before the data bus is free; write data
//        end + tWTR_S (any group) / tWTR_L (same group).
//   WR   ≥ ACT + tRCD_WR; tCCD_S/L; data (WR + tCWL) after the bus is free;
//        last RD + tRTW (tCL + tBL + 2 tCK − tCWL, the JEDEC read-to-write
//        turnaround; HbmTiming has no nRTW, so it is derived).
//   PRE  ≥ ACT + tRAS; RD + tRTP; write data end + tWR.
//   REF  every tREFI (staggered per channel by refresh_phase_ps): once a
//        command would issue at or after the due time, all banks are
//        precharged (respecting their PRE limits, then tRP) and the
//        pseudo-channel is blocked for tRFC; every bank is closed after.
//
// Contract: bursts of one access are all reads or all writes (an
// AccessPattern is); Drain() before StartAccess() of the next access.
// Commands are issued in non-decreasing time order per pseudo-channel.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "arch_models/memory/hbm/hbm_timing.h"

namespace dsasim::arch {

// HbmTiming in picoseconds. `clock_scale` stretches the burst-bound
// parameters (tBL, tCCD_S/L) when a part runs its data pins at another rate
// than the preset's (H100: HBM3 at 5.23 instead of 6.4 Gbps): those are
// counted in data clocks, while the rest are analogue delays that keep their
// nanoseconds — the rule HbmTiming's derived presets follow.
struct CommandTiming {
  int64_t tck, burst, cl, cwl, rcd_rd, rcd_wr, rp, ras, rc, wr, rtp, ccd_s, ccd_l, rrd_s,
      rrd_l, faw, wtr_s, wtr_l, rtw, rfc, refi;
  static CommandTiming From(const HbmTiming& t, double clock_scale);
};

enum class DramCommand { kActivate, kRead, kWrite, kPrecharge, kRefresh };

struct IssuedCommand {
  DramCommand command;
  int bank_group;  // -1 for REF
  int bank;
  int64_t row;
  int64_t time_ps;
};

class PseudoChannelController {
 public:
  // Bursts the controller can hold (Ramulator 2's default read queue is 32
  // requests; DRAMsim3's HBM configs a 32-entry transaction queue).
  static constexpr int kQueueDepth = 32;

  PseudoChannelController(const CommandTiming& timing, int bank_groups,
                          int banks_per_group, int64_t refresh_phase_ps);

  // Starts an access arriving at `now_ps`; refreshes missed while idle are
  // accounted for.
  void StartAccess(int64_t now_ps, bool write);
  void Push(int bank_group, int bank, int64_t row);
  void Drain();

  // End of the last data transfer on the bus.
  int64_t data_done_ps() const { return bus_free_; }
  int64_t bursts() const { return bursts_; }
  int64_t activates() const { return activates_; }
  int64_t refreshes() const { return refreshes_; }
  // Tests only: every command issued from now on is appended.
  void set_trace(std::vector<IssuedCommand>* trace) { trace_ = trace; }

 private:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::min() / 4;
  static constexpr int64_t kNoRow = -1;

  struct Entry {
    int64_t row;
    uint64_t seq;
  };
  struct Bank {
    int64_t open_row = kNoRow;
    int64_t next_act = 0;
    int64_t next_pre = 0;
    int64_t next_rd = 0;
    int64_t next_wr = 0;
    int hits = 0;  // queued bursts to open_row
    int group = 0;
    std::vector<Entry> queue;  // arrival order
  };
  struct Group {
    int64_t last_col = kNever;
    int64_t last_act = kNever;
    int64_t write_end = kNever;
  };

  // Issues the next command (or a refresh that has come due).
  void Step();
  void Refresh();
  void Record(DramCommand c, int bank, int64_t row, int64_t t);

  CommandTiming t_;
  int banks_per_group_;
  std::vector<Bank> banks_;  // index bank · bank_groups + group
  std::vector<Group> groups_;
  int queued_ = 0;
  uint64_t next_seq_ = 0;
  bool write_ = false;

  int64_t floor_ = 0;  // no command before this (arrival, end of refresh)
  int64_t last_col_ = kNever;
  int64_t last_act_ = kNever;
  int64_t last_read_ = kNever;
  int64_t write_end_ = kNever;
  int64_t bus_free_ = 0;
  std::array<int64_t, 4> faw_;  // last four ACTs, oldest at faw_next_
  int faw_next_ = 0;
  int64_t next_refresh_;

  int64_t bursts_ = 0;
  int64_t activates_ = 0;
  int64_t refreshes_ = 0;
  std::vector<IssuedCommand>* trace_ = nullptr;
};

}  // namespace dsasim::arch
