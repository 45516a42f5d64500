#include "arch_models/memory/cache/set_associative_cache.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sim/error.h"

namespace dsasim::arch {

void CacheOutcome::Clear() {
  hit_lines = miss_lines = 0;
  fills.clear();
  writebacks.clear();
}

int64_t CacheOutcome::fill_lines() const {
  int64_t n = 0;
  for (const LineRun& r : fills) n += r.lines;
  return n;
}

int64_t CacheOutcome::writeback_lines() const {
  int64_t n = 0;
  for (const LineRun& r : writebacks) n += r.lines;
  return n;
}

SetAssociativeCache::SetAssociativeCache(const CacheGeometry& geometry)
    : geometry_(geometry) {
  if (geometry.line_bytes <= 0 || geometry.ways <= 0) {
    throw ConfigError("cache: line size and ways must be > 0 (got " +
                      std::to_string(geometry.line_bytes) + " B, " +
                      std::to_string(geometry.ways) + " ways)");
  }
  sets_ = geometry.capacity_bytes / (geometry.line_bytes * geometry.ways);
  if (sets_ < 1) {
    throw ConfigError("cache: " + std::to_string(geometry.capacity_bytes) +
                      " B does not hold one set of " + std::to_string(geometry.ways) +
                      " lines of " + std::to_string(geometry.line_bytes) + " B");
  }
  ways_.assign(static_cast<size_t>(sets_ * geometry.ways), Way{});
}

void SetAssociativeCache::RenumberStamps() {
  // Order within each set is all LRU needs: rank the stamps per set.
  const int ways = geometry_.ways;
  std::vector<uint32_t> order(ways);
  for (size_t base = 0; base < ways_.size(); base += ways) {
    for (int w = 0; w < ways; ++w) order[w] = ways_[base + w].stamp;
    std::sort(order.begin(), order.end());
    for (int w = 0; w < ways; ++w) {
      Way& way = ways_[base + w];
      if (way.stamp != 0) {
        way.stamp = static_cast<uint32_t>(
            std::lower_bound(order.begin(), order.end(), way.stamp) - order.begin() + 1);
      }
    }
  }
  clock_ = static_cast<uint32_t>(ways);
}

void SetAssociativeCache::Append(std::vector<LineRun>& runs, uint64_t line) {
  if (!runs.empty() &&
      runs.back().first_line + static_cast<uint64_t>(runs.back().lines) == line) {
    ++runs.back().lines;
  } else {
    runs.push_back({line, 1});
  }
}

void SetAssociativeCache::Access(uint64_t address, int64_t bytes, bool write,
                                 CacheOutcome& out) {
  out.Clear();
  if (bytes <= 0) return;
  const auto line_bytes = static_cast<uint64_t>(geometry_.line_bytes);
  const uint64_t end = address + static_cast<uint64_t>(bytes);
  const uint64_t first = address / line_bytes;
  const uint64_t last = (end - 1) / line_bytes;
  const int ways = geometry_.ways;
  const auto sets = static_cast<uint64_t>(sets_);
  // Consecutive lines walk the sets in order: one division per access, not
  // one per line.
  uint64_t set = first % sets;
  uint64_t tag_base = first / sets + 1;
  if (tag_base + (last - first) / sets + 1 >= kDirty) {
    throw std::logic_error("cache: address beyond the tag range");
  }
  for (uint64_t line = first; line <= last; ++line) {
    if (clock_ == UINT32_MAX) RenumberStamps();
    const uint32_t stamp = ++clock_;
    const auto tag = static_cast<uint32_t>(tag_base);
    Way* set_ways = &ways_[static_cast<size_t>(set) * ways];
    int way = 0;
    while (way < ways && (set_ways[way].tag & ~kDirty) != tag) ++way;
    Way* slot;
    if (way < ways) {
      slot = &set_ways[way];
      ++out.hit_lines;
    } else {
      // The victim: an invalid way (stamp 0) or the least recently used.
      slot = set_ways;
      for (int w = 1; w < ways; ++w) {
        if (set_ways[w].stamp < slot->stamp) slot = &set_ways[w];
      }
      ++out.miss_lines;
      if (slot->tag & kDirty) {
        const uint64_t victim =
            (static_cast<uint64_t>(slot->tag & ~kDirty) - 1) * sets + set;
        Append(out.writebacks, victim);
      }
      const bool whole_line =
          write && line * line_bytes >= address && (line + 1) * line_bytes <= end;
      if (!whole_line) Append(out.fills, line);
      slot->tag = tag;
    }
    slot->stamp = stamp;
    if (write) slot->tag |= kDirty;
    if (++set == sets) {
      set = 0;
      ++tag_base;
    }
  }
  hits_ += out.hit_lines;
  misses_ += out.miss_lines;
}

int64_t SetAssociativeCache::dirty_lines() const {
  int64_t n = 0;
  for (const Way& w : ways_) n += (w.tag & kDirty) != 0;
  return n;
}

const ComponentInfo& SetAssociativeCache::Info() {
  static const ComponentInfo info{
      "sram_cache",
      "dsasim.v1.CacheSpec",
      "The cache mode of an on-chip SRAM (a core's scratchpad or the shared "
      "SRAM): the same capacity as a set-associative, write-back, write-allocate "
      "cache with LRU replacement, simulated line by line. Selected by the "
      "SRAM's `mode: SRAM_MODE_CACHE`.",
      {{"ways", "count", "16", "associativity (lines per set)"},
       {"line_size", "B", "128B", "line size; fills and writebacks move whole lines"}},
      {{"hit_lines", "count", "accesses served by the cache, in lines"},
       {"fill_bytes", "B", "lines read from the level below on misses"},
       {"writeback_bytes", "B", "dirty lines written to the level below on eviction"}}};
  return info;
}

}  // namespace dsasim::arch
