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
// Why an encoding and not a vector of structs: a prefill GEMM runs millions
// of steps and records several intervals per step; at 40 bytes each the
// recordings of one Llama-3-8B 8192-token prefill took 260 MB, more than
// everything else together. Intervals come in nearly increasing start
// order, are short, and carry whole numbers of bytes, so a variable-length
// encoding (start as a delta from the previous one, duration, bytes as an
// integer where they are one) takes about a quarter of that. Decoding gives
// back bit-identical values: the replay stays exact.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

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
  size_t size_bytes() const { return capacity_; }
  size_t intervals() const { return intervals_; }
  // Returns spare capacity once the recording is complete.
  void Finish() { Resize(size_); }

 private:
  // How an interval's bytes are stored: zero (none), a whole number
  // (varint), or the double's bits.
  enum BytesKind : uint8_t { kZero = 0, kWhole = 1, kRaw = 2 };

  // The most one interval takes: four varints of at most 10 bytes.
  static constexpr size_t kMaxIntervalBytes = 40;

  static uint8_t* PutVarint(uint8_t* p, uint64_t v) {
    while (v >= 0x80) {
      *p++ = static_cast<uint8_t>(v) | 0x80;
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    return p;
  }
  void Resize(size_t capacity) {
    auto grown = std::make_unique_for_overwrite<uint8_t[]>(capacity);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = capacity;
  }
  static uint64_t GetVarint(const uint8_t*& p) {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t b = *p++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  }

  // A byte buffer of its own rather than a vector: appending writes
  // through a pointer after one capacity check per interval.
  std::unique_ptr<uint8_t[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  int64_t last_start_ = 0;
  size_t intervals_ = 0;
};

template <typename F>
void BusyRecording::ForEach(F&& f) const {
  const uint8_t* p = data_.get();
  const uint8_t* const end = p + size_;
  int64_t start = 0;
  while (p < end) {
    const uint64_t header = GetVarint(p);
    const uint64_t delta = GetVarint(p);
    // Zigzag: the start may move back (another core's earlier interval).
    start += static_cast<int64_t>(delta >> 1) ^ -static_cast<int64_t>(delta & 1);
    const auto duration = static_cast<int64_t>(GetVarint(p));
    double bytes = 0;
    switch (static_cast<BytesKind>(header & 3)) {
      case kZero:
        break;
      case kWhole:
        bytes = static_cast<double>(GetVarint(p));
        break;
      case kRaw: {
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(*p++) << (8 * i);
        bytes = std::bit_cast<double>(bits);
        break;
      }
    }
    const uint64_t code = header >> 2;
    const int index = static_cast<int>(code >> 1);
    if (code & 1) {
      f(-1, index, start, start + duration, bytes);
    } else {
      f(index, -1, start, start + duration, bytes);
    }
  }
}

inline void BusyRecording::Add(int component, int link, int64_t start_ps, int64_t end_ps,
                               double bytes) {
  BytesKind kind = kRaw;
  // 2^53: every whole double below it converts to and from uint64 exactly.
  // A negative zero is stored as its bits, so it comes back as itself.
  if (bytes == 0 && !std::signbit(bytes)) {
    kind = kZero;
  } else if (bytes > 0 && bytes < 9007199254740992.0 && bytes == std::floor(bytes)) {
    kind = kWhole;
  }
  const uint64_t code = link >= 0 ? (static_cast<uint64_t>(link) << 1) | 1
                                  : static_cast<uint64_t>(component) << 1;
  if (capacity_ - size_ < kMaxIntervalBytes) {
    Resize(std::max<size_t>(2 * capacity_, 4096));
  }
  uint8_t* p = data_.get() + size_;
  p = PutVarint(p, (code << 2) | kind);
  const int64_t delta = start_ps - last_start_;
  p = PutVarint(p, (static_cast<uint64_t>(delta) << 1) ^ static_cast<uint64_t>(delta >> 63));
  last_start_ = start_ps;
  p = PutVarint(p, static_cast<uint64_t>(end_ps - start_ps));
  if (kind == kWhole) p = PutVarint(p, static_cast<uint64_t>(bytes));
  if (kind == kRaw) {
    const auto bits = std::bit_cast<uint64_t>(bytes);
    for (int i = 0; i < 8; ++i) *p++ = static_cast<uint8_t>(bits >> (8 * i));
  }
  size_ = static_cast<size_t>(p - data_.get());
  ++intervals_;
}

}  // namespace dsasim::arch
