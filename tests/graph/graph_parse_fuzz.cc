// libFuzzer entry point for operator-graph parsing and validation
// (graph_fuzz_input.h). Built in DSASIM_FUZZ builds (clang); `tools/fuzz`
// builds and runs it over tests/fuzz/corpus/graph_parse_fuzz/.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/graph/graph_fuzz_input.h"

// The parser logs every string field with invalid UTF-8; at thousands of
// inputs a second that is noise, and slow.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dsasim::workloads::testing::FuzzGraphBytes(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
