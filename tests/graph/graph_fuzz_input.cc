#include "tests/graph/graph_fuzz_input.h"

#include <string>

#include "dsasim/v1/graph.pb.h"
#include "sim/error.h"
#include "sim/proto_io.h"
#include "workloads/graph/graph_dot.h"
#include "workloads/graph/graph_index.h"
#include "workloads/graph/graph_stats.h"
#include "workloads/graph/graph_validator.h"

namespace dsasim::workloads::testing {
namespace {

void Check(const v1::OperatorGraph& graph, FuzzOutcome& outcome) {
  ++outcome.parsed;
  try {
    ValidateGraph(graph, "<fuzz>");
  } catch (const ConfigError&) {
    return;
  }
  ++outcome.validated;
  // A validated graph must be safe for every consumer.
  GraphIndex(graph).TopologicalOrder();
  ComputeStats(graph);
  GraphToDot(graph);
}

}  // namespace

FuzzOutcome FuzzGraphBytes(std::string_view bytes) {
  FuzzOutcome outcome;
  v1::OperatorGraph graph;
  if (graph.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    Check(graph, outcome);
  }
  try {
    ParseTextMessage(bytes, "<fuzz>", graph);
    Check(graph, outcome);
  } catch (const ConfigError&) {
  }
  return outcome;
}

}  // namespace dsasim::workloads::testing
