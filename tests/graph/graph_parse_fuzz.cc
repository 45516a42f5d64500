// libFuzzer entry point for operator-graph parsing and validation. Built only
// with clang (tests/graph/CMakeLists.txt):
//   ninja graph_parse_fuzz && ./graph_parse_fuzz -max_total_time=60 CORPUS/
// Seed the corpus with traces/*.pb and traces/*.textproto.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/graph/graph_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dsasim::workloads::testing::FuzzGraphBytes(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
