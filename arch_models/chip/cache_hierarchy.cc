#include "arch_models/chip/cache_hierarchy.h"

#include <algorithm>

namespace dsasim::arch {
namespace {

CacheGeometry GeometryOf(double capacity, const SramCacheConfig& c) {
  return {static_cast<int64_t>(capacity), c.line_bytes, c.ways};
}

// One pattern for `runs` segments of one direction spanning [first, end)
// (see the header for why their mean run and spacing are enough).
AccessPattern PatternOf(uint64_t first, uint64_t end, double bytes, int64_t runs,
                        bool write, bool scattered) {
  AccessPattern p;
  p.scattered = scattered;
  p.address = first;
  p.bytes = static_cast<int64_t>(bytes);
  p.write = write;
  p.contiguous_bytes = std::max<int64_t>(1, p.bytes / std::max<int64_t>(1, runs));
  if (runs <= 1) {
    p.contiguous_bytes = p.bytes;
    return p;
  }
  const auto span = static_cast<double>(end - first);
  const double stride =
      (span - static_cast<double>(p.contiguous_bytes)) / static_cast<double>(runs - 1);
  p.stride_bytes = std::max<int64_t>(p.contiguous_bytes, static_cast<int64_t>(stride));
  return p;
}

}  // namespace

CacheHierarchy::CacheHierarchy(const ChipConfig& config) {
  if (config.scratchpad.cache.enabled) {
    core_totals_.enabled = true;
    for (int c = 0; c < config.cores; ++c) {
      core_caches_.emplace_back(
          GeometryOf(config.scratchpad.capacity_bytes, config.scratchpad.cache));
    }
  }
  if (config.shared_sram.cache.enabled) {
    shared_totals_.enabled = true;
    shared_cache_ = std::make_unique<SetAssociativeCache>(
        GeometryOf(config.shared_sram.capacity_bytes, config.shared_sram.cache));
  }
}

double CacheHierarchy::Pass(SetAssociativeCache& cache, const std::vector<Segment>& in,
                            std::vector<Segment>& out, CacheLevelTotals& totals) {
  const int64_t line = cache.geometry().line_bytes;
  const auto line_u = static_cast<uint64_t>(line);
  int64_t hits = 0;
  for (const Segment& s : in) {
    cache.Access(s.address, s.bytes, s.write, outcome_);
    hits += outcome_.hit_lines;
    totals.hit_lines += outcome_.hit_lines;
    totals.miss_lines += outcome_.miss_lines;
    for (const LineRun& r : outcome_.fills) {
      out.push_back({r.first_line * line_u, r.lines * line, false, s.piece});
      totals.fill_bytes += static_cast<double>(r.lines * line);
    }
    for (const LineRun& r : outcome_.writebacks) {
      out.push_back({r.first_line * line_u, r.lines * line, true, -1});
      totals.writeback_bytes += static_cast<double>(r.lines * line);
    }
  }
  return static_cast<double>(hits * line);
}

void CacheHierarchy::AddRuns(const Transfer& t, uint64_t address, int64_t bytes,
                             bool write, int piece) {
  if (t.contiguous_bytes <= 0 || t.contiguous_bytes >= bytes ||
      t.stride_bytes <= t.contiguous_bytes) {
    requests_.push_back({address, bytes, write, piece});
    return;
  }
  for (int64_t left = bytes; left > 0; left -= t.contiguous_bytes) {
    requests_.push_back({address, std::min(left, t.contiguous_bytes), write, piece});
    address += static_cast<uint64_t>(t.stride_bytes);
  }
}

const CacheTraffic& CacheHierarchy::Filter(int core, const Transfer& t,
                                           const std::vector<GatherSegment>& segments,
                                           bool read_modify_write) {
  traffic_ = CacheTraffic{};
  requests_.clear();
  for (bool write : {false, true}) {
    if (write != t.write && !(read_modify_write && !write)) continue;
    if (t.num_segments == 0) {
      AddRuns(t, t.address, t.bytes, write, 0);
    } else {
      for (uint32_t i = 0; i < t.num_segments; ++i) {
        const GatherSegment& g = segments.at(t.first_segment + i);
        AddRuns(t, g.address, g.bytes, write, static_cast<int>(i));
      }
    }
  }

  if (!core_caches_.empty()) {
    below_.clear();
    traffic_.core_hit_bytes = Pass(core_caches_[core], requests_, below_, core_totals_);
    requests_.swap(below_);
  }
  // Without a core cache a reduce-add store's read of the old values
  // happens at the memory end (the shared cache or HBM), off the port.
  const bool rmw_at_memory = read_modify_write && core_caches_.empty();
  for (const Segment& s : requests_) {
    if (rmw_at_memory && !s.write) continue;
    (s.write ? traffic_.port_out_bytes : traffic_.port_in_bytes) +=
        static_cast<double>(s.bytes);
  }
  if (shared_cache_) {
    for (const Segment& s : requests_)
      traffic_.shared_bytes += static_cast<double>(s.bytes);
    below_.clear();
    traffic_.shared_hit_bytes = Pass(*shared_cache_, requests_, below_, shared_totals_);
    requests_.swap(below_);
  }

  // One pattern per piece for what the transfer itself reads or writes
  // through, one for all writebacks. Requests of a piece are contiguous in
  // requests_ (each level emits them in order), so a piece is a range.
  // A gather piece's misses are a gather element too; writebacks are
  // whatever lines LRU picked, pooled.
  auto emit = [this, &t](size_t begin, size_t end, bool write) {
    uint64_t first = UINT64_MAX, last = 0;
    double bytes = 0;
    int64_t runs = 0;
    for (size_t i = begin; i < end; ++i) {
      const Segment& s = requests_[i];
      if (s.write != write) continue;
      first = std::min(first, s.address);
      last = std::max(last, s.address + static_cast<uint64_t>(s.bytes));
      bytes += static_cast<double>(s.bytes);
      ++runs;
    }
    if (runs == 0) return;
    const bool piece = requests_[begin].piece >= 0;
    traffic_.hbm.push_back(
        PatternOf(first, last, bytes, runs, write, piece && t.scattered));
    (write ? traffic_.hbm_write_bytes : traffic_.hbm_read_bytes) += bytes;
  };
  std::stable_partition(requests_.begin(), requests_.end(),
                        [](const Segment& s) { return s.piece >= 0; });
  size_t begin = 0;
  while (begin < requests_.size()) {
    size_t end = begin;
    const int piece = requests_[begin].piece;
    while (end < requests_.size() && requests_[end].piece == piece) ++end;
    if (piece >= 0) {
      emit(begin, end, false);
      emit(begin, end, true);
    } else {
      emit(begin, end, true);
    }
    begin = end;
  }
  return traffic_;
}

CacheLevelTotals CacheHierarchy::core_totals() const {
  CacheLevelTotals t = core_totals_;
  for (const SetAssociativeCache& c : core_caches_) {
    t.dirty_bytes += static_cast<double>(c.dirty_lines() * c.geometry().line_bytes);
  }
  return t;
}

CacheLevelTotals CacheHierarchy::shared_totals() const {
  CacheLevelTotals t = shared_totals_;
  if (shared_cache_) {
    t.dirty_bytes = static_cast<double>(shared_cache_->dirty_lines() *
                                        shared_cache_->geometry().line_bytes);
  }
  return t;
}

}  // namespace dsasim::arch
