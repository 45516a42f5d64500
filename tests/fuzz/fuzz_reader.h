// File: tests/fuzz/fuzz_reader.h
//
// Turns a fuzzer's bytes into a deterministic sequence of bounded choices.
// libFuzzer mutates bytes; a harness that reads them through this class sees
// small integers, flags and picks from lists instead, so most inputs become
// well-formed requests and a mutation changes one decision at a time.
//
// Example:
//   FuzzReader in(bytes);
//   int ops = in.Range(1, 6);
//   const char* preset = in.Pick(kPresets);
//   if (in.Bool()) ...
//
// Contract: every read consumes bytes from the front; once they run out each
// read returns its smallest choice (lo, false, the first option), so any input,
// the empty one included, maps to a valid sequence of choices. The same bytes
// always give the same choices. (clang's FuzzedDataProvider would do, but its
// header ships with clang only, and the same bodies run under gcc in CI.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dsasim::testing {

class FuzzReader {
 public:
  explicit FuzzReader(std::string_view bytes) : bytes_(bytes) {}

  // A value in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    uint64_t x = 0;
    // As many bytes as the span needs, so small choices cost one byte.
    for (uint64_t left = span; left > 0 && !bytes_.empty(); left >>= 8) {
      x = (x << 8) | static_cast<unsigned char>(bytes_.front());
      bytes_.remove_prefix(1);
    }
    const uint64_t offset = span == UINT64_MAX ? x : x % (span + 1);
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
  }

  bool Bool() { return Range(0, 1) == 1; }

  // True about once in `n` reads of random bytes (n >= 1); false when the
  // bytes are spent, so rare branches stay off by default.
  bool OneIn(int n) { return Range(0, n - 1) == n - 1 && n > 1; }

  template <typename T, size_t N>
  const T& Pick(const T (&options)[N]) {
    return options[Range(0, static_cast<int64_t>(N) - 1)];
  }

  bool empty() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
};

}  // namespace dsasim::testing
