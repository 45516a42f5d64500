// File: arch_models/chip/busy_recording.h
//
// The busy intervals one op added to its chip's timelines, relative to the
// op's start, kept so that a memoized replay (chip.h) adds the very same
// intervals, in the same order, shifted to its own start.
//
// Example:
//   BusyRecording r;
//   r.Add(/*component=*/tensor, /*link=*/-1, 1000, 5000, 0);
//   r.ForEach([&](int component, int link, int64_t start, int64_t end,
//                 double bytes) { timeline.AddBusy(component, ...); });
//
// Why not a vector of {component, start, end, bytes, link}: a prefill GEMM
// runs millions of steps and records several intervals per step; at 40
// bytes each the recordings of one Llama-3-8B 8192-token prefill took 260
// MB, more than everything else together. Intervals come in nearly
// increasing start order, are short, and carry whole numbers of bytes, so
// almost all fit 16 bytes: the start as a 32-bit delta from the previous
// interval's, a 32-bit duration, the bytes as a 32-bit integer. The rest
// keep their full values on the side. Fixed-width records, not varints,
// because replay reads them on the hot path of every decode step. Decoding
// gives back bit-identical values: the replay stays exact.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

namespace dsasim::arch {

class BusyRecording {
 public:
  // REQUIRES: start_ps <= end_ps; component >= 0 or link >= 0.
  // `link` >= 0: a NoC link reservation (then `component` is ignored).
  void Add(int component, int link, int64_t start_ps, int64_t end_ps, double bytes);

  // Calls f(component, link, start_ps, end_ps, bytes) for each interval in
  // the order added; link is -1 for a component's interval, component -1
  // for a link's.
  template <typename F>
  void ForEach(F&& f) const;

  // Memory the recording holds.
  size_t size_bytes() const {
    return reserved_ * sizeof(Packed) + wide_.capacity() * sizeof(Wide);
  }
  size_t intervals() const { return intervals_; }
  // Returns spare capacity once the recording is complete.
  void Finish();

 private:
  struct Packed {
    // (link << 1 | 1) or (component << 1), then one bit: the values are
    // the next Wide record's.
    uint32_t code;
    int32_t start_delta;  // from the previous interval's start
    uint32_t duration_ps;
    uint32_t bytes;  // a whole number
  };
  struct Wide {
    int64_t start_ps;
    int64_t end_ps;
    double bytes;
  };

  // Records in chunks that double up to kMaxChunk: appending never moves
  // what was recorded (a growing vector copied and page-faulted it again at
  // every doubling), and a short op's recording stays small.
  static constexpr size_t kFirstChunk = 64;
  static constexpr size_t kMaxChunk = size_t{1} << 16;
  struct Chunk {
    std::unique_ptr<Packed[]> records;
    size_t size = 0;
    size_t capacity = 0;
  };
  Packed& Append();

  std::vector<Chunk> chunks_;
  size_t reserved_ = 0;  // records allocated, over all chunks
  size_t intervals_ = 0;
  std::vector<Wide> wide_;
  int64_t last_start_ = 0;
};

template <typename F>
void BusyRecording::ForEach(F&& f) const {
  int64_t start = 0;
  const Wide* wide = wide_.data();
  for (const Chunk& chunk : chunks_) {
    for (const Packed& r : std::span(chunk.records.get(), chunk.size)) {
      int64_t end;
      double bytes;
      if ((r.code & 1) == 0) {
        start += r.start_delta;
        end = start + r.duration_ps;
        bytes = static_cast<double>(r.bytes);
      } else {
        start = wide->start_ps;
        end = wide->end_ps;
        bytes = wide->bytes;
        ++wide;
      }
      const uint32_t code = r.code >> 1;
      const int index = static_cast<int>(code >> 1);
      if (code & 1) {
        f(-1, index, start, end, bytes);
      } else {
        f(index, -1, start, end, bytes);
      }
    }
  }
}

inline BusyRecording::Packed& BusyRecording::Append() {
  if (chunks_.empty() || chunks_.back().size == chunks_.back().capacity) [[unlikely]] {
    const size_t capacity =
        chunks_.empty() ? kFirstChunk : std::min(2 * chunks_.back().capacity, kMaxChunk);
    chunks_.push_back({std::make_unique_for_overwrite<Packed[]>(capacity), 0, capacity});
    reserved_ += capacity;
  }
  ++intervals_;
  Chunk& c = chunks_.back();
  return c.records[c.size++];
}

inline void BusyRecording::Finish() {
  wide_.shrink_to_fit();
  if (chunks_.empty()) return;
  Chunk& last = chunks_.back();
  if (last.size == last.capacity) return;
  auto fitted = std::make_unique_for_overwrite<Packed[]>(last.size);
  std::copy_n(last.records.get(), last.size, fitted.get());
  reserved_ -= last.capacity - last.size;
  last.records = std::move(fitted);
  last.capacity = last.size;
}

inline void BusyRecording::Add(int component, int link, int64_t start_ps, int64_t end_ps,
                               double bytes) {
  const uint32_t code = link >= 0 ? (static_cast<uint32_t>(link) << 1) | 1
                                  : static_cast<uint32_t>(component) << 1;
  const int64_t delta = start_ps - last_start_;
  const int64_t duration = end_ps - start_ps;
  last_start_ = start_ps;
  // A whole number of bytes below 2^32, +0 included (a -0 keeps its bits on
  // the side, so it comes back as itself).
  const bool whole_bytes = bytes >= 0 && bytes < 4294967296.0 &&
                           bytes == std::floor(bytes) && !std::signbit(bytes);
  if (whole_bytes && delta >= std::numeric_limits<int32_t>::min() &&
      delta <= std::numeric_limits<int32_t>::max() && duration >= 0 &&
      duration <= std::numeric_limits<uint32_t>::max()) {
    Append() = {code << 1, static_cast<int32_t>(delta), static_cast<uint32_t>(duration),
                static_cast<uint32_t>(bytes)};
  } else {
    Append() = {(code << 1) | 1, 0, 0, 0};
    wide_.push_back({start_ps, end_ps, bytes});
  }
}

}  // namespace dsasim::arch
