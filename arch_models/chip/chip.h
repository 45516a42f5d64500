// File: arch_models/chip/chip.h
//
// One chip as an event-driven machine: cores (tensor, vector and scalar
// engines, a scratchpad, DMA engines), a crossbar port per core, shared
// on-chip SRAM and HBM. It runs one OpProgram at a time (kernel-by-kernel,
// as GPUs and most DSA runtimes do) and reports what each op used.
//
// Example:
//   Simulator sim;
//   Chip chip(sim, config, &timeline, /*memoize=*/true);
//   chip.Run(program, [&] { next(); });
//   sim.Run();
//   const OpStats& s = chip.last_op();
//
// An op's epilogue (OpProgram::epilogue) starts when every core has finished
// the main program, as a second kernel would.
//
// Timing mechanism. Every shared resource (DMA engine, crossbar port, HBM
// channel, shared SRAM, engine) is a FCFS server with a busy-until time. A
// transfer reserves each resource on its path for bytes / bandwidth and
// completes when the slowest has finished (plus latency): resources on one
// path are pipelined, so the transfer is limited by its bottleneck, not by
// the sum. This needs one event per step instead of one per burst, which is
// what makes a 70B decode step simulate in milliseconds; the detailed HBM
// mode checks the approximation at request level.
//
// Memoization. An op starts on an idle chip (the previous op has drained), so
// its timing depends only on its program. With `memoize`, an op whose
// program digest was seen before is replayed — same duration, same busy
// intervals shifted in time — without simulating it again. The result is
// identical by construction; a test checks it row for row. Memoization is
// off with the detailed HBM model, whose bank state outlives an op.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/program.h"
#include "arch_models/memory/hbm/hbm_model.h"
#include "sim/simulator.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {

// What one op used, summed over cores.
struct OpStats {
  Tick start;
  Tick end;
  double engine_busy_ps[kNumEngineKinds] = {0, 0, 0};
  double dma_busy_ps = 0;
  double port_busy_ps = 0;
  double hbm_bytes = 0;
  double shared_sram_bytes = 0;
  double flops = 0;
  int active_cores = 0;
  int64_t descriptors = 0;
  bool replayed = false;
};

// Conservation counters over the whole run.
struct TransferTotals {
  int64_t descriptors_issued = 0;
  int64_t descriptors_completed = 0;
  double bytes_issued = 0;
  double bytes_delivered = 0;
};

class Chip {
 public:
  Chip(Simulator& sim, const ChipConfig& config, UtilizationTimeline* timeline,
       bool memoize);
  ~Chip();
  Chip(const Chip&) = delete;
  Chip& operator=(const Chip&) = delete;

  // REQUIRES: no op is running. `done` fires when every core has finished
  // computing and every store has landed.
  void Run(const OpProgram& program, InlineCallback done);
  // The same, with the program's Digest(hbm_stripe_bytes()) precomputed by a
  // caller that runs one program many times.
  void Run(const OpProgram& program, uint64_t digest, InlineCallback done);

  const OpStats& last_op() const { return op_; }
  const TransferTotals& transfers() const { return totals_; }
  const ChipConfig& config() const { return config_; }
  int64_t memo_hits() const { return memo_hits_; }
  // HBM stripe: the address period over which channel mapping repeats.
  uint64_t hbm_stripe_bytes() const;

 private:
  class CoreRunner;
  friend class CoreRunner;
  struct Interval {
    int component;
    int64_t start_ps;  // relative to the op's start
    int64_t end_ps;
    double bytes;
  };
  struct Recorded {
    Tick duration;
    OpStats stats;
    std::vector<Interval> intervals;
  };

  // Reserves the path of `t` for core `core`, starting now; returns when the
  // last byte lands. Accounts bytes and busy time. `segments` is the core's
  // list of gather pieces.
  Tick IssueTransfer(int core, const Transfer& t,
                     const std::vector<GatherSegment>& segments);
  // The HBM side of `t` from `start`: one access, or one per gather piece;
  // a read of the destination first for a reduce-add store.
  Tick ServeHbm(const Transfer& t, const std::vector<GatherSegment>& segments, Tick start,
                bool read_modify_write);
  // Starts the cores of `cores` that have steps; holds the count until all
  // are started.
  void StartCores(const std::vector<CoreProgram>& cores);
  void RecordBusy(int component, Tick start, Tick end, double bytes = 0);
  void CoreFinished();
  void FinishOp();

  Simulator& sim_;
  ChipConfig config_;
  UtilizationTimeline* timeline_;
  bool memoize_;

  std::unique_ptr<HbmModel> hbm_;
  Tick shared_sram_free_;
  std::vector<Tick> port_free_;
  // Per core, per DMA engine: busy-until and completion times in flight.
  struct DmaEngineState {
    Tick free;
    std::vector<Tick> in_flight;
  };
  std::vector<std::vector<DmaEngineState>> dma_;
  std::vector<std::unique_ptr<CoreRunner>> runners_;

  // Timeline components.
  int tl_engine_[kNumEngineKinds];
  int tl_dma_, tl_hbm_, tl_shared_, tl_noc_;

  OpStats op_;
  TransferTotals totals_;
  const OpProgram* program_ = nullptr;
  bool in_epilogue_ = false;
  int cores_running_ = 0;
  InlineCallback done_;
  uint64_t digest_ = 0;
  std::vector<Interval>* recording_ = nullptr;
  std::unordered_map<uint64_t, Recorded> memo_;
  int64_t memo_hits_ = 0;
};

}  // namespace dsasim::arch
