// File: workloads/builders/routing.h
//
// How many token rows each expert receives in one MoE layer. We do not run
// a router; we draw the per-expert load from a routing model, because what
// the cost depends on is the load per expert (and its imbalance), not which
// token went where.
//
// Example:
//   ExpertPopularity pop = LoadExpertPopularity(options, spec.experts);
//   std::vector<double> p = pop.ForLayer(layer);   // sums to 1
//   std::vector<int64_t> rows = RouteTokens(tokens, top_k, p, 1.25);
//
// Contract:
//   - uniform: every expert equally likely. zipf(s): weight 1/rank^s, ranks
//     assigned by a permutation drawn from `seed` and the layer index (so
//     layers differ but builds repeat exactly). histogram: the file's
//     weights (one non-negative number per line, one line per expert),
//     ConfigError naming the file otherwise.
//   - RouteTokens returns rows summing to tokens·top_k (fewer when capacity
//     drops some), each at most `tokens` (top-k picks distinct experts) and
//     at most ceil(capacity_factor·tokens·top_k / experts) when
//     capacity_factor > 0. Deterministic: largest-remainder rounding with
//     ties to the lower expert index.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/builders/graph_builder.h"

namespace dsasim::workloads {

class ExpertPopularity {
 public:
  ExpertPopularity(RoutingModel model, double zipf_s, uint64_t seed,
                   std::vector<double> histogram, int64_t experts);
  std::vector<double> ForLayer(int64_t layer) const;

 private:
  RoutingModel model_;
  double zipf_s_;
  uint64_t seed_;
  std::vector<double> histogram_;
  int64_t experts_;
};

ExpertPopularity LoadExpertPopularity(const BuildOptions& options, int64_t experts);

// Rows per expert for `tokens` tokens choosing `top_k` experts each: the
// expected share of each expert, rounded by largest remainder. Equal
// remainders go first to the experts from `first_tie` on (cyclically):
// token groups that route separately pass different starts, so what
// rounding leaves over spreads over all experts instead of piling on the
// lowest-numbered ones.
std::vector<int64_t> RouteTokens(int64_t tokens, int64_t top_k,
                                 const std::vector<double>& probability,
                                 double capacity_factor, int64_t first_tie = 0);

}  // namespace dsasim::workloads
