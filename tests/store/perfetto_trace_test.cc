#include "tools/store/perfetto_trace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/error.h"
#include "tests/store/sample_run.h"
#include "tools/store/atomic_file.h"

namespace dsasim::store {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

StoredRun Sample() {
  StoredRun run;
  run.id = 4;
  run.created = "2025-01-31T12:00:00.000Z";
  run.record = testing::SampleRun(1, 3);
  return run;
}

TEST(PerfettoTrace, PutsEachOpOnItsChipAndCoreAsACompleteEventInMicroseconds) {
  std::string json = PerfettoTraceJson(Sample());
  EXPECT_THAT(json, HasSubstr("\"traceEvents\":["));
  // Op 1: chip 1, core 0 (thread 1), 1000..2501 ps.
  EXPECT_THAT(json,
              HasSubstr("{\"ph\":\"X\",\"name\":\"layer0.attn\",\"cat\":\"attention\","
                        "\"pid\":1,\"tid\":1,\"ts\":0.001,\"dur\":0.0015"));
  EXPECT_THAT(json,
              HasSubstr("\"args\":{\"op_index\":1,\"kind\":\"attention\",\"layer\":0"));
  EXPECT_THAT(json, HasSubstr("\"bound\":\"hbm\",\"engine\":\"vector\""));
}

TEST(PerfettoTrace, NamesProcessesAfterChipsAndCoreMinusOneAllCores) {
  std::string json = PerfettoTraceJson(Sample());
  EXPECT_THAT(json, HasSubstr("\"name\":\"process_name\",\"pid\":0,\"tid\":0,"
                              "\"args\":{\"name\":\"chip 0\"}"));
  EXPECT_THAT(json, HasSubstr("\"name\":\"thread_name\",\"pid\":0,\"tid\":0,"
                              "\"args\":{\"name\":\"all cores\"}"));
  EXPECT_THAT(json, HasSubstr("\"args\":{\"name\":\"core 0\"}"));
}

// A collective on a communication stream overlaps the chip's compute; in
// one thread the two slices would not nest and the trace viewer would
// misdraw them.
TEST(PerfettoTrace, PutsACollectiveOnTheChipsCommunicationThread) {
  StoredRun run = Sample();
  OpRecord collective = run.record.ops.front();
  collective.name = "L0.attn_out.allreduce";
  collective.kind = "collective";
  collective.engine = "link";
  collective.chip = 0;
  collective.core = -1;
  run.record.ops.push_back(collective);
  std::string json = PerfettoTraceJson(run);
  EXPECT_THAT(json, ContainsRegex("\"name\":\"thread_name\",\"pid\":0,\"tid\":2147483648,"
                                  "\"args\":\\{\"name\":\"communication\"\\}"));
  EXPECT_THAT(json,
              ContainsRegex("\"name\":\"L0.attn_out.allreduce\",\"cat\":\"collective\","
                            "\"pid\":0,\"tid\":2147483648"));
}

TEST(PerfettoTrace, WritesTheTimelineAsCountersThatDropToZeroAfterTheLastInterval) {
  std::string json = PerfettoTraceJson(Sample());
  // Timeline process sits after the two chips.
  EXPECT_THAT(json, HasSubstr("\"args\":{\"name\":\"timeline\"}"));
  EXPECT_THAT(json, HasSubstr("{\"ph\":\"C\",\"name\":\"chip0.tensor busy\",\"pid\":2,"
                              "\"tid\":0,\"ts\":0.002,\"args\":{\"fraction\":1}}"));
  EXPECT_THAT(json,
              ContainsRegex("\\{\"ph\":\"C\",\"name\":\"chip0.tensor busy\",\"pid\":2,"
                            "\"tid\":0,\"ts\":0\\.004[0-9]*,"
                            "\"args\":\\{\"fraction\":0\\}\\}"));
  EXPECT_THAT(json, HasSubstr("\"chip0.hbm GB/s\""));
  EXPECT_THAT(json, ::testing::Not(HasSubstr("\"chip0.tensor GB/s\"")));
}

TEST(AtomicFile, ReplacesTheTargetWholeAndLeavesNoTemporary) {
  auto dir = std::filesystem::temp_directory_path() /
             ("dsasim_atomic_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "trace.json";
  std::ofstream(path) << "old";
  WriteFileAtomically(path, "new contents");
  std::stringstream read;
  read << std::ifstream(path).rdbuf();
  EXPECT_EQ(read.str(), "new contents");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);
  std::filesystem::remove_all(dir);
}

TEST(AtomicFile, NamesThePathWhenTheDirectoryDoesNotExist) {
  auto path = std::filesystem::temp_directory_path() / "dsasim_no_such_dir" / "x.json";
  try {
    WriteFileAtomically(path, "x");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr(path.string()));
  }
}

}  // namespace
}  // namespace dsasim::store
