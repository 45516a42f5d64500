// The fuzz targets' corpora (tests/fuzz/corpus/<target>/) replayed through
// the same bodies the libFuzzer targets run, in every build: the targets
// cannot rot under gcc, the sanitizer build checks every seed, and each
// reproducer a fuzzer found stays a regression test. A failure names the
// file and prints what its bytes mean.
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/simulate_fuzz_input.h"
#include "tests/graph/graph_fuzz_input.h"

namespace dsasim::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> CorpusFiles(const std::string& target) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& e :
       fs::directory_iterator(fs::path(DSASIM_FUZZ_CORPUS) / target)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(FuzzCorpus, GraphParseSeedsOnlyEverRaiseConfigError) {
  const std::vector<fs::path> files = CorpusFiles("graph_parse_fuzz");
  ASSERT_GE(files.size(), 5u);
  google::protobuf::LogSilencer quiet;
  int validated = 0;
  for (const fs::path& f : files) {
    workloads::testing::FuzzOutcome outcome;
    ASSERT_NO_THROW(outcome = workloads::testing::FuzzGraphBytes(Read(f))) << f;
    validated += outcome.validated;
  }
  // The corpus must reach past the parser into the graph consumers.
  EXPECT_GT(validated, 0);
}

TEST(FuzzCorpus, SimulateSeedsRunOrStopAtAUserError) {
  const std::vector<fs::path> files = CorpusFiles("simulate_fuzz");
  ASSERT_GE(files.size(), 5u);
  std::map<FuzzStage, int> stages;
  for (const fs::path& f : files) {
    const SimulateFuzzCase c = DecodeSimulateFuzzCase(Read(f));
    try {
      ++stages[RunSimulateFuzzCase(c).stage];
    } catch (const std::exception& e) {
      ADD_FAILURE() << f << ": " << e.what() << "\n" << DescribeSimulateFuzzCase(c);
    }
  }
  RecordProperty("simulated", stages[FuzzStage::kSimulated]);
  // Most seeds must get through to the simulation and its invariants, or
  // this test only exercises the configuration checks.
  EXPECT_GE(stages[FuzzStage::kSimulated] * 2, static_cast<int>(files.size()));
}

}  // namespace
}  // namespace dsasim::testing
