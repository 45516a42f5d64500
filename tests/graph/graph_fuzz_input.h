// File: tests/graph/graph_fuzz_input.h
//
// The body of the graph parsing fuzzer, shared by the libFuzzer entry point
// (graph_parse_fuzz.cc, clang builds) and the deterministic mutation test
// (graph_fuzz_test.cc, every build): arbitrary bytes are parsed as a binary
// and as a text OperatorGraph; whatever parses is validated, and whatever
// validates is indexed, sized and exported.
//
// Example:
//   FuzzGraphBytes(std::string_view(data, size));   // returns or crashes
//
// Contract: ConfigError is the only exception bad input may raise, and it is
// swallowed here; anything else escapes (a test failure, a fuzzer crash).
// Returns how far the input got, for tests that check mutations reach the
// validator rather than dying in the parser.
#pragma once

#include <string_view>

namespace dsasim::workloads::testing {

struct FuzzOutcome {
  int parsed = 0;     // 0..2: binary and/or text parse succeeded
  int validated = 0;  // of those, how many passed ValidateGraph
};

FuzzOutcome FuzzGraphBytes(std::string_view bytes);

}  // namespace dsasim::workloads::testing
