// Unit and spec tests of the compact program and recording forms: what the
// chip stores must expand to exactly what the lowering emitted.
#include "arch_models/chip/busy_recording.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <tuple>
#include <vector>

#include "arch_models/chip/program.h"

namespace dsasim::arch {
namespace {

using Row = std::tuple<int, int, int64_t, int64_t, uint64_t>;  // bytes as bits

TEST(BusyRecording, GivesBackEveryIntervalBitForBitInOrder) {
  // Packed intervals, and each reason to keep one whole: a start far back,
  // a duration past 32 bits, fractional, negative-zero and huge byte counts.
  const std::vector<std::tuple<int, int, int64_t, int64_t, double>> in = {
      {0, -1, 1000, 5000, 0.0},
      {3, -1, 900, 1000, 4096.0},
      {-1, 7, 2000, 2500, 128.0},
      {2, -1, int64_t{1} << 40, (int64_t{1} << 40) + 10, 1.0},
      {2, -1, 50, 50 + (int64_t{1} << 33), 3.0},
      {1, -1, 60, 70, 1.5},
      {1, -1, 60, 70, -0.0},
      {1, -1, 60, 70, 1e12},
  };
  BusyRecording r;
  for (int round = 0; round < 100; ++round) {
    for (const auto& [c, l, s, e, b] : in) r.Add(c, l, s + round, e + round, b);
  }
  r.Finish();
  std::vector<Row> out;
  r.ForEach([&](int c, int l, int64_t s, int64_t e, double b) {
    out.emplace_back(c, l, s, e, std::bit_cast<uint64_t>(b));
  });
  ASSERT_EQ(out.size(), in.size() * 100);
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& [c, l, s, e, b] = in[i % in.size()];
    const int64_t round = static_cast<int64_t>(i / in.size());
    EXPECT_EQ(out[i],
              Row(l >= 0 ? -1 : c, l, s + round, e + round, std::bit_cast<uint64_t>(b)))
        << i;
  }
  EXPECT_EQ(r.intervals(), out.size());
}

TEST(CoreProgram, StepsThatDifferOnlyInAddressesByAFixedStrideAreStoredOnce) {
  CoreProgram core;
  auto load = [](uint64_t address) {
    return Transfer::Flat(MemoryKind::kHbm, false, address, 4096);
  };
  const ComputePhase mma{EngineKind::kTensor, 100, 1e6};
  for (int k = 0; k < 10; ++k) core.AddStep({load(8192 * k), load(1 << 30)}, {mma}, {});
  // The K loop's last step stores: a different step.
  core.AddStep({load(8192 * 10), load(1 << 30)}, {mma},
               {Transfer::Flat(MemoryKind::kHbm, true, 1 << 20, 512)});
  // The stride breaks: a new run.
  core.AddStep({load(3), load(1 << 30)}, {mma}, {});
  ASSERT_EQ(core.steps.size(), 3u);
  EXPECT_EQ(core.steps[0].repeat, 10u);
  EXPECT_EQ(core.StepCount(), 12);
  std::vector<uint64_t> addresses;
  core.ForEachTransfer([&](const Transfer& t) { addresses.push_back(t.address); });
  ASSERT_EQ(addresses.size(), 25u);
  for (int k = 0; k < 10; ++k) {
    EXPECT_EQ(addresses[2 * k], 8192u * k);
    EXPECT_EQ(addresses[2 * k + 1], 1u << 30);
  }
  EXPECT_EQ(addresses[20], 8192u * 10);
  EXPECT_EQ(addresses[22], 1u << 20);
  EXPECT_EQ(addresses[23], 3u);
}

TEST(CoreProgram, ARepeatedRunDigestsLikeNoOtherRun) {
  auto program = [](int steps, uint64_t stride) {
    OpProgram op;
    CoreProgram& core = op.AddCore(0, 2);
    for (int k = 0; k < steps; ++k) {
      core.AddStep({Transfer::Flat(MemoryKind::kHbm, false, stride * k, 4096)},
                   {{EngineKind::kTensor, 100, 1e6}}, {});
    }
    return op.Digest(1 << 16);
  };
  EXPECT_EQ(program(8, 4096), program(8, 4096));
  EXPECT_NE(program(8, 4096), program(9, 4096));
  EXPECT_NE(program(8, 4096), program(8, 8192));
}

}  // namespace
}  // namespace dsasim::arch
