// File: arch_models/chip/cache_hierarchy.h
//
// The SRAMs of a chip in cache mode, between the cores and HBM: a cache per
// core (the scratchpad's capacity, ChipSpec.core.scratchpad.mode) and/or one
// shared cache (the shared SRAM's capacity, ChipSpec.shared_sram.mode). It
// filters each HBM transfer through them and says what is left for the
// levels below — which bytes hit where, which lines must be filled from HBM,
// which dirty lines are written back — as HBM access patterns the chip then
// serves with its usual reservation timing.
//
// Example:
//   CacheHierarchy caches(config);           // config.HasCache()
//   const CacheTraffic& c = caches.Filter(/*core=*/3, transfer, segments,
//                                         /*read_modify_write=*/false);
//   for (const AccessPattern& p : c.hbm) hbm->Access(start, p);
//
// Approximation, and why it is acceptable: the lines one piece of a transfer
// misses (the transfer itself, or each piece of a gather) are handed to the
// HBM model as one pattern — their bytes, the mean length of their runs of
// consecutive lines, and the mean distance between runs — rather than line
// by line. A piece's misses are either its whole extent (a stream: one run,
// exact) or the parts other transfers did not bring in (runs of the same
// tile's rows, alike in length), so the mean describes them well; the HBM
// model's locality rule needs no more. Gather pieces stay separate accesses,
// as without caches, because their scatter is what their cost is about.
// Writebacks are the lines LRU evicts, written back without delaying the
// transfer that evicted them (a write buffer), but occupying HBM.
//
// Contract: Filter() is called for HBM transfers only, in issue order; its
// result is valid until the next call. Deterministic.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/program.h"
#include "arch_models/memory/cache/set_associative_cache.h"
#include "arch_models/memory/hbm/hbm_model.h"

namespace dsasim::arch {

struct CacheTraffic {
  // Bytes served by the core's own cache.
  double core_hit_bytes = 0;
  // Bytes that cross the core's port to the rest of the chip, towards the
  // core (fills, data read) and away from it (writebacks, data written).
  // The old values a reduce-add store reads at the memory end do not cross.
  double port_in_bytes = 0;
  double port_out_bytes = 0;
  double port_bytes() const { return port_in_bytes + port_out_bytes; }
  // Bytes that reach the shared cache (its SRAM moves them), and the part
  // of them it serves.
  double shared_bytes = 0;
  double shared_hit_bytes = 0;
  // What HBM must serve: fills (reads), then writebacks and write-throughs.
  std::vector<AccessPattern> hbm;
  double hbm_read_bytes = 0;
  double hbm_write_bytes = 0;
};

// Run totals of one cache level (per-core caches are summed).
struct CacheLevelTotals {
  bool enabled = false;
  int64_t hit_lines = 0;
  int64_t miss_lines = 0;
  double fill_bytes = 0;
  double writeback_bytes = 0;
  double dirty_bytes = 0;  // still dirty when asked

  double hit_rate() const {
    const int64_t n = hit_lines + miss_lines;
    return n > 0 ? static_cast<double>(hit_lines) / static_cast<double>(n) : 0;
  }
  // Adds another chip's level (a system of chips reports their sum).
  CacheLevelTotals& operator+=(const CacheLevelTotals& o) {
    enabled = enabled || o.enabled;
    hit_lines += o.hit_lines;
    miss_lines += o.miss_lines;
    fill_bytes += o.fill_bytes;
    writeback_bytes += o.writeback_bytes;
    dirty_bytes += o.dirty_bytes;
    return *this;
  }
};

class CacheHierarchy {
 public:
  explicit CacheHierarchy(const ChipConfig& config);

  // `segments`: the core's gather pieces (t.num_segments of them from
  // t.first_segment). A read-modify-write (reduce-add store) reads its lines
  // into the cache before writing them.
  const CacheTraffic& Filter(int core, const Transfer& t,
                             const std::vector<GatherSegment>& segments,
                             bool read_modify_write);

  CacheLevelTotals core_totals() const;
  CacheLevelTotals shared_totals() const;

 private:
  // Appends `t`'s runs over [address, address + bytes) as requests.
  void AddRuns(const Transfer& t, uint64_t address, int64_t bytes, bool write, int piece);
  struct Segment {
    uint64_t address;
    int64_t bytes;
    bool write;
    // The piece of the transfer whose miss it is; -1 for a writeback.
    int piece;
  };
  // Passes `in` through `cache`, appending what the level below must serve
  // to `out`; accounts hits and traffic in `totals`. Returns hit bytes.
  double Pass(SetAssociativeCache& cache, const std::vector<Segment>& in,
              std::vector<Segment>& out, CacheLevelTotals& totals);

  std::vector<SetAssociativeCache> core_caches_;
  std::unique_ptr<SetAssociativeCache> shared_cache_;
  CacheLevelTotals core_totals_, shared_totals_;
  CacheOutcome outcome_;
  std::vector<Segment> requests_, below_;
  CacheTraffic traffic_;
};

}  // namespace dsasim::arch
