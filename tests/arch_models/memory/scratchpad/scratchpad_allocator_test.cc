#include "arch_models/memory/scratchpad/scratchpad_allocator.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

TEST(ScratchpadAllocator, ReservationsRoundUpToTheBankStripe) {
  ScratchpadAllocator spad("core0.spad", 1 << 20, 16);  // granule 16 × 32 B
  EXPECT_EQ(spad.granule(), 512);
  spad.Reserve(1, "tiny");
  EXPECT_EQ(spad.used(), 512);
  spad.Reserve(1024, "exact");
  EXPECT_EQ(spad.used(), 512 + 1024);
}

TEST(ScratchpadAllocator, ReleaseReturnsSpaceAndPeakRemembersTheHighWater) {
  ScratchpadAllocator spad("core0.spad", 4096, 1, 1);
  auto a = spad.Reserve(3000, "a");
  spad.Release(a);
  auto b = spad.Reserve(1000, "b");
  EXPECT_EQ(spad.used(), 1000);
  EXPECT_EQ(spad.peak(), 3000);
  spad.Release(b);
  EXPECT_EQ(spad.used(), 0);
  EXPECT_EQ(spad.live_buffers(), 0);
}

TEST(ScratchpadAllocator, AReservationThatDoesNotFitIsAMappingErrorNamingEverything) {
  ScratchpadAllocator spad("core3.sbuf", 4096, 1, 1);
  spad.Reserve(3000, "weights");
  try {
    spad.Reserve(2000, "matmul.activations");
    FAIL() << "expected MappingError";
  } catch (const MappingError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("core3.sbuf"), std::string::npos);
    EXPECT_NE(what.find("matmul.activations"), std::string::npos);
    EXPECT_NE(what.find("2000"), std::string::npos);
    EXPECT_NE(what.find("1096"), std::string::npos);
  }
  EXPECT_EQ(spad.used(), 3000);  // nothing was half-reserved
}

TEST(ScratchpadAllocator, ExactlyFullFits) {
  ScratchpadAllocator spad("s", 4096, 4, 32);
  spad.Reserve(4096, "all");
  EXPECT_EQ(spad.free_bytes(), 0);
  EXPECT_THROW(spad.Reserve(1, "one more"), MappingError);
}

TEST(ScratchpadAllocator, ReleasingADeadBufferIsALogicError) {
  ScratchpadAllocator spad("s", 4096, 1);
  auto a = spad.Reserve(64, "a");
  spad.Release(a);
  EXPECT_THROW(spad.Release(a), std::logic_error);
}

TEST(ScratchpadAllocator, RejectsNonPositiveCapacityOrBanks) {
  EXPECT_THROW(ScratchpadAllocator("s", 0, 1), ConfigError);
  EXPECT_THROW(ScratchpadAllocator("s", 1024, 0), ConfigError);
}

}  // namespace
}  // namespace dsasim::arch
