// The fixtures the CLI tests feed to `dsasim graph validate`, checked here
// too so that each one fails for the reason its name gives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "sim/error.h"
#include "sim/proto_io.h"
#include "workloads/graph/graph_validator.h"

namespace dsasim::workloads {
namespace {

using ::testing::HasSubstr;

std::string ErrorOfFixture(const std::string& name) {
  std::string path = std::string(DSASIM_GRAPH_FIXTURES) + "/" + name;
  try {
    v1::OperatorGraph graph;
    LoadMessage(path, graph);
    ValidateGraph(graph, path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(GraphFixtures, TheGoodFixtureValidates) {
  EXPECT_EQ(ErrorOfFixture("good.textproto"), "");
}

TEST(GraphFixtures, EachBadFixtureFailsNamingFileAndCulprit) {
  const std::pair<const char*, const char*> cases[] = {
      {"cycle.textproto", "dependency cycle through ops 'norm'"},
      {"shape_mismatch.textproto", "op 'down' (matmul): K of A 'a'"},
      {"unknown_op.textproto", "op 'act' (unknown): unknown op"},
      {"dangling_tensor.textproto", "op 'down' (matmul): input tensor 'w_dwn'"},
      {"duplicate_names.textproto", "tensor 'xn': duplicate tensor name"},
      {"device_out_of_range.textproto", "op 'up' (matmul): device 3"},
      {"malformed.pb", "not a valid binary dsasim.v1.OperatorGraph"},
  };
  for (const auto& [file, culprit] : cases) {
    std::string error = ErrorOfFixture(file);
    EXPECT_THAT(error, HasSubstr(file));
    EXPECT_THAT(error, HasSubstr(culprit)) << file;
  }
}

}  // namespace
}  // namespace dsasim::workloads
