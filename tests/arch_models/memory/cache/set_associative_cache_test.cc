// Spec tests of the SRAM cache mode: set-associative, LRU, write-back,
// write-allocate (whole-line writes allocate without a fill).
#include "arch_models/memory/cache/set_associative_cache.h"

#include <gtest/gtest.h>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

constexpr int64_t kLine = 128;

// `sets` sets of `ways` lines of 128 B.
SetAssociativeCache Cache(int64_t sets, int ways) {
  return SetAssociativeCache({sets * ways * kLine, kLine, ways});
}

TEST(SetAssociativeCache, ASecondReadOfTheSameLinesHits) {
  SetAssociativeCache c = Cache(64, 4);
  CacheOutcome out;
  c.Access(0, 32 * kLine, false, out);
  EXPECT_EQ(out.hit_lines, 0);
  EXPECT_EQ(out.miss_lines, 32);
  ASSERT_EQ(out.fills.size(), 1u);  // one run of 32 consecutive lines
  EXPECT_EQ(out.fills[0].first_line, 0u);
  EXPECT_EQ(out.fills[0].lines, 32);
  c.Access(0, 32 * kLine, false, out);
  EXPECT_EQ(out.hit_lines, 32);
  EXPECT_EQ(out.fill_lines(), 0);
}

TEST(SetAssociativeCache, AnUnalignedAccessTouchesEveryLineItOverlaps) {
  SetAssociativeCache c = Cache(64, 4);
  CacheOutcome out;
  c.Access(kLine - 1, 2, false, out);  // the last byte of line 0, first of 1
  EXPECT_EQ(out.miss_lines, 2);
}

TEST(SetAssociativeCache, LruEvictsTheLeastRecentlyUsedWayOfASet) {
  // One set of two ways: A, B, A, C evicts B (A was used more recently).
  SetAssociativeCache c = Cache(1, 2);
  CacheOutcome out;
  const uint64_t a = 0, b = kLine, d = 2 * kLine;
  c.Access(a, kLine, false, out);
  c.Access(b, kLine, false, out);
  c.Access(a, kLine, false, out);
  EXPECT_EQ(out.hit_lines, 1);
  c.Access(d, kLine, false, out);
  EXPECT_EQ(out.miss_lines, 1);
  c.Access(a, kLine, false, out);
  EXPECT_EQ(out.hit_lines, 1) << "A must have survived";
  c.Access(b, kLine, false, out);
  EXPECT_EQ(out.miss_lines, 1) << "B must have been the victim";
}

TEST(SetAssociativeCache, LinesMapToSetsByLineNumberModuloSets) {
  // Three sets (not a power of two) of one way: lines 0 and 3 share set 0.
  SetAssociativeCache c = Cache(3, 1);
  CacheOutcome out;
  c.Access(0, kLine, false, out);
  c.Access(1 * kLine, 2 * kLine, false, out);  // lines 1, 2: other sets
  c.Access(0, kLine, false, out);
  EXPECT_EQ(out.hit_lines, 1);
  c.Access(3 * kLine, kLine, false, out);  // evicts line 0
  c.Access(0, kLine, false, out);
  EXPECT_EQ(out.miss_lines, 1);
}

TEST(SetAssociativeCache, AWholeLineWriteAllocatesWithoutAFill) {
  SetAssociativeCache c = Cache(16, 4);
  CacheOutcome out;
  c.Access(0, 4 * kLine, true, out);
  EXPECT_EQ(out.miss_lines, 4);
  EXPECT_EQ(out.fill_lines(), 0);
  EXPECT_EQ(c.dirty_lines(), 4);
}

TEST(SetAssociativeCache, APartialLineWriteFillsTheLineFirst) {
  SetAssociativeCache c = Cache(16, 4);
  CacheOutcome out;
  // Lines 0 (partly), 1 (whole) and 2 (partly).
  c.Access(kLine / 2, 2 * kLine, true, out);
  EXPECT_EQ(out.miss_lines, 3);
  ASSERT_EQ(out.fills.size(), 2u);
  EXPECT_EQ(out.fills[0].first_line, 0u);
  EXPECT_EQ(out.fills[1].first_line, 2u);
}

TEST(SetAssociativeCache, ADirtyVictimIsWrittenBackAndACleanOneIsNot) {
  SetAssociativeCache c = Cache(1, 1);
  CacheOutcome out;
  c.Access(0, kLine, true, out);       // line 0 dirty
  c.Access(kLine, kLine, false, out);  // evicts it
  ASSERT_EQ(out.writebacks.size(), 1u);
  EXPECT_EQ(out.writebacks[0].first_line, 0u);
  c.Access(2 * kLine, kLine, false, out);  // evicts clean line 1
  EXPECT_TRUE(out.writebacks.empty());
}

TEST(SetAssociativeCache, AStreamLargerThanTheCacheNeverHitsUnderLru) {
  // The textbook LRU pathology the scratchpad-vs-cache comparison rests on:
  // a sweep over 2× the capacity, repeated, evicts every line before its
  // reuse.
  SetAssociativeCache c = Cache(32, 8);
  const int64_t capacity = 32 * 8 * kLine;
  CacheOutcome out;
  for (int pass = 0; pass < 3; ++pass) {
    c.Access(0, 2 * capacity, false, out);
    EXPECT_EQ(out.hit_lines, 0) << "pass " << pass;
  }
  // One that fits hits on every later pass.
  c.Access(1 << 30, capacity, false, out);
  c.Access(1 << 30, capacity, false, out);
  EXPECT_EQ(out.hit_lines, 32 * 8);
}

TEST(SetAssociativeCache, ABadGeometryIsAConfigError) {
  EXPECT_THROW(SetAssociativeCache({1024, 0, 4}), ConfigError);
  EXPECT_THROW(SetAssociativeCache({1024, 128, 0}), ConfigError);
  EXPECT_THROW(SetAssociativeCache({1024, 128, 16}), ConfigError);  // < one set
}

}  // namespace
}  // namespace dsasim::arch
