// The fuzzer's body under gcc: 2000 seeded mutations of a valid graph, in
// binary and text form. Any exception other than ConfigError, or a crash,
// fails the test.
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sim/proto_io.h"
#include "tests/graph/graph_fuzz_input.h"
#include "tests/graph/test_graphs.h"

namespace dsasim::workloads::testing {
namespace {

// One random edit: flip a bit, overwrite a byte with a boundary value,
// insert or delete a byte, duplicate a slice, or truncate.
std::string Mutate(std::string s, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  static const char kInteresting[] = {'\0', '\x01', '\x7f', '\x80', '\xff', '-',
                                      '9',  '{',    '}',    '"',    ':'};
  // Mostly one edit, so that many mutants still parse and reach the validator.
  int edits = rng() % 4 == 0 ? 2 : 1;
  for (int e = 0; e < edits && !s.empty(); ++e) {
    size_t at = pick(s.size());
    switch (rng() % 11) {
      case 0:
        s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8)));
        break;
      case 1:
        s[at] = kInteresting[pick(sizeof(kInteresting))];
        break;
      case 2:
        s.insert(at, 1, static_cast<char>(rng()));
        break;
      case 3:
        s.erase(at, 1);
        break;
      case 4:
        s.insert(at, s.substr(pick(s.size()), 1 + pick(16)));
        break;
      case 5:
        s.resize(at);
        break;
      // Digits are shapes, lengths and devices in the text form.
      default: {
        size_t digit = s.find_first_of("0123456789", at);
        if (digit != std::string::npos) s[digit] = static_cast<char>('0' + rng() % 10);
        break;
      }
    }
  }
  return s;
}

TEST(GraphParseFuzz, TwoThousandMutationsOnlyEverRaiseConfigError) {
  v1::OperatorGraph seed = MlpBlock();
  const std::string binary = seed.SerializeAsString();
  const std::string text = ToTextFormat(seed);
  ASSERT_EQ(FuzzGraphBytes(binary).validated, 1);
  ASSERT_EQ(FuzzGraphBytes(text).validated, 1);

  // Invalid UTF-8 in string fields is rejected by the parser, which also logs
  // it; the log is noise here.
  google::protobuf::LogSilencer quiet;
  std::mt19937_64 rng(20240601);
  int parsed = 0, validated = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string input = Mutate(i % 2 == 0 ? binary : text, rng);
    FuzzOutcome outcome;
    ASSERT_NO_THROW(outcome = FuzzGraphBytes(input)) << "mutation " << i;
    parsed += outcome.parsed;
    validated += outcome.validated;
  }
  RecordProperty("parsed", parsed);
  RecordProperty("validated", validated);
  // The mutations must reach the validator and get past it sometimes, or
  // this test only exercises the parser.
  EXPECT_GT(parsed, 400);
  EXPECT_GT(validated, 20);
  EXPECT_LT(validated, parsed);
}

}  // namespace
}  // namespace dsasim::workloads::testing
