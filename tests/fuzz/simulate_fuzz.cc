// libFuzzer entry point for the simulation path: bytes -> a small system and
// graph -> lowering and simulation -> invariants (simulate_fuzz_input.h).
// Built in DSASIM_FUZZ builds (clang); `tools/fuzz` builds and runs it.
// To read what a reproducer means:
//   DSASIM_FUZZ_DESCRIBE=1 build-fuzz/tests/fuzz/simulate_fuzz crash-<sha1>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "tests/fuzz/simulate_fuzz_input.h"

namespace {
bool describe = false;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  describe = std::getenv("DSASIM_FUZZ_DESCRIBE") != nullptr;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dsasim::testing;
  const SimulateFuzzCase c =
      DecodeSimulateFuzzCase(std::string_view(reinterpret_cast<const char*>(data), size));
  if (describe) std::cerr << DescribeSimulateFuzzCase(c) << "\n";
  RunSimulateFuzzCase(c);
  return 0;
}
