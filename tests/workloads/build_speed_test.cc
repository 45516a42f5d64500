// How long BuildGraph takes on the largest shipped dense model. Prints,
// never asserts: timing claims belong in benchmarks (STYLE.md rule 16).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "workloads/builders/graph_builder.h"

namespace dsasim::workloads {
namespace {

TEST(BuildSpeed, PrintsTheTimeToBuildLlama31_405bDecodeAtTp8) {
  ModelSpec spec = LoadModelSpec("llama3.1-405b");
  BuildOptions o;
  o.phase = v1::PHASE_DECODE;
  o.batch = 64;
  o.context_len = 4096;
  o.tensor_parallel = 8;
  auto start = std::chrono::steady_clock::now();
  v1::OperatorGraph g = BuildGraph(spec, o);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("BuildGraph llama3.1-405b decode tp8: %.3f s, %d ops, %d tensors\n",
              took.count(), g.ops_size(), g.tensors_size());
  EXPECT_GT(g.ops_size(), 0);
}

}  // namespace
}  // namespace dsasim::workloads
