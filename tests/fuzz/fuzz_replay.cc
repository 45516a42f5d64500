// Replays simulation fuzz cases from files without libFuzzer, in any build:
// prints where each stopped and, with --describe, what its bytes mean.
//   build-asan/tests/fuzz/simulate_fuzz_replay [--describe] FILE...
// Exits 1 if any case broke an invariant or threw an unexpected exception.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tests/fuzz/simulate_fuzz_input.h"

namespace {

const char* StageName(dsasim::testing::FuzzStage stage) {
  using dsasim::testing::FuzzStage;
  switch (stage) {
    case FuzzStage::kExcluded:
      return "excluded (a known, reported problem)";
    case FuzzStage::kSystemRejected:
      return "system rejected";
    case FuzzStage::kGraphRejected:
      return "graph rejected";
    case FuzzStage::kTooLarge:
      return "too large";
    case FuzzStage::kMappingRejected:
      return "mapping rejected";
    case FuzzStage::kSimulated:
      return "simulated";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dsasim::testing;
  bool describe = false;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--describe") {
      describe = true;
      continue;
    }
    std::ifstream in(arg, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    // Named first, so that a crash or sanitizer report below names its file.
    std::cerr << "replaying " << arg << "\n";
    const SimulateFuzzCase c = DecodeSimulateFuzzCase(bytes.str());
    if (describe) std::cout << DescribeSimulateFuzzCase(c) << std::endl;
    try {
      const SimulateFuzzOutcome o = RunSimulateFuzzCase(c);
      std::cout << arg << ": " << StageName(o.stage) << ", " << c.preset << ", "
                << (c.model_json.empty() ? "random graph" : "model") << ", " << o.ops
                << " ops, " << o.events << " events" << (o.error.empty() ? "" : ": ")
                << o.error << std::endl;
    } catch (const std::exception& e) {
      std::cout << arg << ": FAILED: " << e.what() << std::endl;
      ++failures;
    }
  }
  return failures > 0 ? 1 : 0;
}
