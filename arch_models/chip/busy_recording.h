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

#include <bit>
#include <cmath>
#include <cstdint>
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
  size_t size_bytes() const { return data_.capacity(); }
  size_t intervals() const { return intervals_; }
  // Frees the recording.
  void Clear() {
    std::vector<uint8_t>().swap(data_);
    last_start_ = 0;
    intervals_ = 0;
  }
  // Returns spare capacity once the recording is complete.
  void Finish() { data_.shrink_to_fit(); }

 private:
  // How an interval's bytes are stored: zero (none), a whole number
  // (varint), or the double's bits.
  enum BytesKind : uint8_t { kZero = 0, kWhole = 1, kRaw = 2 };

  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      data_.push_back(static_cast<uint8_t>(v) | 0x80);
      v >>= 7;
    }
    data_.push_back(static_cast<uint8_t>(v));
  }
  static uint64_t GetVarint(const uint8_t*& p) {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t b = *p++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  }

  std::vector<uint8_t> data_;
  int64_t last_start_ = 0;
  size_t intervals_ = 0;
};

template <typename F>
void BusyRecording::ForEach(F&& f) const {
  const uint8_t* p = data_.data();
  const uint8_t* const end = p + data_.size();
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
  PutVarint((code << 2) | kind);
  const int64_t delta = start_ps - last_start_;
  PutVarint((static_cast<uint64_t>(delta) << 1) ^ static_cast<uint64_t>(delta >> 63));
  last_start_ = start_ps;
  PutVarint(static_cast<uint64_t>(end_ps - start_ps));
  if (kind == kWhole) PutVarint(static_cast<uint64_t>(bytes));
  if (kind == kRaw) {
    const auto bits = std::bit_cast<uint64_t>(bytes);
    for (int i = 0; i < 8; ++i) data_.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  }
  ++intervals_;
}

}  // namespace dsasim::arch
