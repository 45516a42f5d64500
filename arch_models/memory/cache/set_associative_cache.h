// File: arch_models/memory/cache/set_associative_cache.h
//
// The cache mode of an on-chip SRAM: the same capacity as a set-associative,
// write-back, write-allocate cache with true LRU replacement, simulated line
// by line. It holds tags only — no data — and answers, for each access, which
// lines hit, which must be filled from the level below and which dirty lines
// it evicts, so the chip can charge the level below for exactly that traffic.
//
// Example:
//   SetAssociativeCache l1({.capacity_bytes = 256 << 10, .line_bytes = 128,
//                           .ways = 16});
//   CacheOutcome out;
//   l1.Access(/*address=*/0, /*bytes=*/4096, /*write=*/false, out);
//   // out.hit_lines == 0, out.fills == {{0, 32}}: 32 lines from address 0.
//   l1.Access(0, 4096, false, out);   // out.hit_lines == 32, no fills
//
// Policy, and why.
//   - Sets are line_number mod sets (no hashing; capacity need not be a power
//     of two — A100's 164 KiB is 82 sets of 16 × 128 B).
//   - LRU per set by access stamp. Real parts use pseudo-LRU; for the
//     question this mode answers (how much HBM traffic does a cache move
//     compared with an explicitly managed scratchpad of the same size) the
//     two differ far less than a cache differs from a scratchpad.
//   - Write-allocate with a fill of the line — except when the write covers
//     the whole line, which allocates without reading it (GPUs and most
//     accelerators' caches write full lines without a fill).
//   - Write-back: a dirty line is written to the level below when evicted.
//     Dirty lines left at the end of a run stay in the cache; dirty_lines()
//     says how many.
//
// Contract: deterministic; Access(…, bytes ≤ 0) touches nothing; an access
// may span any number of lines. Each call clears `out` first. Fills and
// writebacks are listed as runs of consecutive lines, in the order the cache
// produced them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/component_info.h"

namespace dsasim::arch {

struct CacheGeometry {
  int64_t capacity_bytes = 0;
  int64_t line_bytes = 0;
  int ways = 0;
};

// Consecutive lines [first_line, first_line + lines), as line numbers
// (address / line_bytes).
struct LineRun {
  uint64_t first_line = 0;
  int64_t lines = 0;
};

struct CacheOutcome {
  int64_t hit_lines = 0;
  int64_t miss_lines = 0;
  // Lines read from the level below (misses that are not whole-line writes).
  std::vector<LineRun> fills;
  // Dirty lines evicted, to be written to the level below.
  std::vector<LineRun> writebacks;

  void Clear();
  int64_t fill_lines() const;
  int64_t writeback_lines() const;
};

class SetAssociativeCache {
 public:
  // Throws ConfigError unless line_bytes and ways are > 0 and the capacity
  // holds at least one set.
  explicit SetAssociativeCache(const CacheGeometry& geometry);

  void Access(uint64_t address, int64_t bytes, bool write, CacheOutcome& out);

  const CacheGeometry& geometry() const { return geometry_; }
  int64_t sets() const { return sets_; }
  int64_t dirty_lines() const;
  // Totals since construction.
  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }

  // Parameters: the fields of v1::CacheSpec.
  static const ComponentInfo& Info();

 private:
  static void Append(std::vector<LineRun>& runs, uint64_t line);

  CacheGeometry geometry_;
  int64_t sets_ = 0;
  // One slot per way, a set's ways adjacent (set · ways + way), packed in
  // 8 bytes because walking them is the cache mode's whole cost: the tag is
  // line / sets + 1 (0: invalid; the set is implicit) with the dirty flag in
  // its top bit, the stamp the last use (0: never).
  struct Way {
    uint32_t tag = 0;
    uint32_t stamp = 0;
  };
  static constexpr uint32_t kDirty = 0x80000000u;
  // Renumbers stamps in use order when the 32-bit clock would wrap.
  void RenumberStamps();

  std::vector<Way> ways_;
  uint32_t clock_ = 0;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
};

}  // namespace dsasim::arch
