// File: arch_models/chip/chip.h
//
// One chip as an event-driven machine: cores (tensor, vector and scalar
// engines, a scratchpad, DMA engines), an on-chip network (a crossbar port
// per core, or a mesh/torus of routers, arch_models/interconnect/), shared
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
// Timing mechanism. Every shared resource (DMA engine, crossbar port or NoC
// channel, HBM channel, shared SRAM, engine) is a FCFS server with a
// busy-until time. A transfer reserves each resource on its path for
// bytes / bandwidth and completes when the slowest has finished (plus
// latency): resources on one path are pipelined, so the transfer is limited
// by its bottleneck, not by the sum. This needs one event per step instead
// of one per burst, which is what makes a 70B decode step simulate in
// milliseconds; the detailed HBM mode checks the approximation at request
// level.
//
// On a mesh or torus the route replaces the core's crossbar port. An HBM
// transfer's bytes are split over the memory ports by the channels the
// address interleave puts them on (port p serves channels c ≡ p mod ports),
// a shared-SRAM transfer's evenly over the SRAM's ports, and each share is
// routed port → core (reads) or core → port (writes); the transfer lands
// when its last share does. A read's data leaves a port once the request has
// crossed the grid (MeshNoc::PathLatency) and the memory's latency has
// passed, so distance to memory costs latency both ways; a write's route
// starts with the DMA, overlapping the memory's latency as on the crossbar.
//
// Memoization. An op starts on an idle chip (the previous op has drained), so
// its timing depends only on its program. With `memoize`, an op whose
// program digest was seen before is replayed — same duration, same busy
// intervals shifted in time — without simulating it again. The result is
// identical by construction; a test checks it row for row. Memoization is
// off with the detailed HBM model and with SRAMs in cache mode, whose state
// outlives an op. The NoC needs no such exception: every channel a transfer
// reserves is free again by the time the transfer lands, and an op ends after
// its last transfer has landed, so each op finds every crossbar port and mesh
// channel idle. The NoC's per-channel busy time is recorded with the op and
// replayed.
#pragma once

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "arch_models/chip/busy_recording.h"
#include "arch_models/chip/cache_hierarchy.h"
#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/program.h"
#include "arch_models/interconnect/link_timeline.h"
#include "arch_models/interconnect/mesh_noc.h"
#include "arch_models/memory/hbm/hbm_fast_model.h"
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
  // The cores' own network channels: crossbar ports, or on a mesh/torus
  // each core's injection (writes) and ejection (reads) channel.
  double port_busy_ps = 0;
  // Mesh/torus: the busiest NoC channel's (link or endpoint channel) busy
  // time during the op; 0 on a crossbar, whose ports port_busy_ps covers.
  double noc_max_channel_busy_ps = 0;
  // The busiest HBM channel's busy time during the op, where the HBM model
  // keeps it (fast mode; 0 otherwise).
  double hbm_max_channel_busy_ps = 0;
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

  // Whether an op's timing on `config` depends on its program alone, with
  // HBM addresses mattering only modulo the stripe, so a repeated program
  // may be replayed (memoize) and its digest may fold addresses: not with
  // the detailed HBM model, whose open rows and refresh phase carry from
  // one op into the next, nor with caches, whose lines do.
  static bool TimingIsStateless(const ChipConfig& config) {
    return config.hbm.mode == v1::HBM_MODE_FAST && !config.HasCache();
  }

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
  // The SRAMs in cache mode, or nullptr when none is.
  const CacheHierarchy* caches() const { return caches_.get(); }
  // The mesh/torus network, or null for a crossbar. Its endpoints are the
  // cores (endpoint = core), then the memory ports, then the shared SRAM's.
  const MeshNoc* noc() const { return noc_.get(); }
  // Mesh/torus: each link's utilization over time (null on a crossbar).
  LinkTimeline* link_timeline() { return link_timeline_.get(); }
  // The chip's timeline as of `end` (a run's makespan): its last bucket
  // ends there, and on a mesh or torus the `noc` component, the mean over
  // link directions, is filled from the link timeline. A copy: the chip's
  // own timeline stays open, so a long-lived machine runs on and a later
  // call counts every link once.
  UtilizationTimeline ClosedTimeline(Tick end) const;
  // HBM stripe: the address period over which channel mapping repeats.
  uint64_t hbm_stripe_bytes() const;

 private:
  class CoreRunner;
  friend class CoreRunner;
  struct Recorded {
    Tick duration;
    OpStats stats;
    BusyRecording busy;
    // Busy picoseconds the op added to each NoC channel (mesh/torus).
    std::vector<int64_t> noc_busy_ps;
  };
  // Recordings are bounded: one op's may take kMaxRecordingBytes, all of
  // them together kMemoBudgetBytes. An op whose recording would not fit is
  // simulated every time it runs (its digest goes to unrecordable_), which
  // gives the same results, only slower: memory stays bounded however many
  // tiles an op has. 64 MiB is several million intervals, a few hundred
  // thousand steps; every op of a Llama-3-8B 8192-token prefill fits.
  static constexpr size_t kMaxRecordingBytes = size_t{64} << 20;
  static constexpr size_t kMemoBudgetBytes = size_t{256} << 20;
  // Appends to the running op's recording, dropping it when it outgrows its
  // bound.
  void Record(int component, int link, Tick start, Tick end, double bytes);

  // Reserves the path of `t` for core `core`, starting now; returns when the
  // last byte lands. Accounts bytes and busy time. `segments` is the core's
  // list of gather pieces.
  Tick IssueTransfer(int core, const Transfer& t,
                     const std::vector<GatherSegment>& segments);
  // The HBM side of `t` from `start`: one access, or one per gather piece;
  // a read of the destination first for a reduce-add store.
  Tick ServeHbm(const Transfer& t, const std::vector<GatherSegment>& segments, Tick start,
                bool read_modify_write);
  // The memory side of an HBM transfer that passes the caches, from
  // `start`; `*traffic` says what crossed the core's port and where it went.
  Tick ServeThroughCaches(int core, Tick start, const Transfer& t,
                          const std::vector<GatherSegment>& segments,
                          bool read_modify_write, const CacheTraffic** traffic);
  // Mesh/torus: reserves the routes of `t`'s shares between core and memory
  // ports, from `start` (the DMA engine's start), for the `bytes` of it that
  // leave the core (all, unless a core cache served some); returns when the
  // last share lands. Accounts port and link busy time.
  Tick ReserveRoutes(int core, const Transfer& t,
                     const std::vector<GatherSegment>& segments, double bytes,
                     Tick start);
  // Mesh/torus with caches: routes what crossed the core's port, each
  // direction on its own links, from the shared cache's slices for its hits
  // and from the memory ports for the rest.
  Tick RouteCachedTraffic(int core, const Transfer& t,
                          const std::vector<GatherSegment>& segments,
                          const CacheTraffic& c, Tick start);
  // Starts the cores of `cores` that have steps; holds the count until all
  // are started.
  void StartCores(const std::vector<CoreProgram>& cores);
  void RecordBusy(int component, Tick start, Tick end, double bytes = 0);
  // A link reservation of `bytes`, in the link timeline (the `noc`
  // component is derived from it in ClosedTimeline).
  void RecordLinkBusy(int channel, Tick start, Tick end, double bytes);
  void CoreFinished();
  void FinishOp();

  Simulator& sim_;
  ChipConfig config_;
  UtilizationTimeline* timeline_;
  bool memoize_;

  std::unique_ptr<HbmModel> hbm_;
  std::unique_ptr<CacheHierarchy> caches_;
  Tick shared_sram_free_;
  // The running op's kernel-issue cap (OpProgram::memory_efficiency): a
  // server of rate memory_cap_Bps_ that all its memory traffic passes.
  double memory_cap_Bps_ = 0;  // 0: no cap
  Tick memory_cap_free_;
  std::vector<Tick> port_free_;
  // Mesh/torus only (null on a crossbar).
  std::unique_ptr<MeshNoc> noc_;
  std::unique_ptr<LinkTimeline> link_timeline_;
  // The address interleave, for the bytes per HBM channel of a transfer;
  // its own busy state is never used.
  std::unique_ptr<HbmFastModel> hbm_layout_;
  std::vector<int> port_of_channel_;
  // Per port, the bytes of the transfer being routed (reused).
  std::vector<double> share_bytes_;
  // Channel busy times when the running op started.
  std::vector<int64_t> noc_busy_at_start_;
  std::vector<int64_t> hbm_busy_at_start_;
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
  // The running op's descriptors, counted delivered when it ends.
  struct Landing {
    int64_t descriptors = 0;
    double bytes = 0;
    Tick last;
  };
  Landing landing_;
  const OpProgram* program_ = nullptr;
  bool in_epilogue_ = false;
  int cores_running_ = 0;
  InlineCallback done_;
  uint64_t digest_ = 0;
  BusyRecording* recording_ = nullptr;
  std::unordered_map<uint64_t, Recorded> memo_;
  // Digests of ops whose recording outgrew its bound.
  std::unordered_set<uint64_t> unrecordable_;
  size_t memo_bytes_ = 0;  // the finished recordings' size
  int64_t memo_hits_ = 0;
};

}  // namespace dsasim::arch
