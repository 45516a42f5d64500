#include "workloads/builders/routing.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>

#include "sim/error.h"

namespace dsasim::workloads {
namespace {

std::vector<double> Normalized(std::vector<double> w) {
  double sum = std::accumulate(w.begin(), w.end(), 0.0);
  for (double& x : w) x /= sum;
  return w;
}

std::vector<double> ReadHistogram(const std::string& path, int64_t experts) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open the routing histogram");
  std::vector<double> w;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream s(line);
    double x = -1;
    std::string rest;
    if (!(s >> x) || (s >> rest) || !(x >= 0) || !std::isfinite(x)) {
      throw ConfigError(path + ":" + std::to_string(line_no) + ": '" + line +
                        "' is not a non-negative number");
    }
    w.push_back(x);
  }
  if (static_cast<int64_t>(w.size()) != experts) {
    throw ConfigError(path + ": the routing histogram has " + std::to_string(w.size()) +
                      " entries; the model has " + std::to_string(experts) + " experts");
  }
  if (std::accumulate(w.begin(), w.end(), 0.0) <= 0) {
    throw ConfigError(path + ": the routing histogram sums to zero");
  }
  return w;
}

}  // namespace

ExpertPopularity::ExpertPopularity(RoutingModel model, double zipf_s, uint64_t seed,
                                   std::vector<double> histogram, int64_t experts)
    : model_(model),
      zipf_s_(zipf_s),
      seed_(seed),
      histogram_(std::move(histogram)),
      experts_(experts) {}

std::vector<double> ExpertPopularity::ForLayer(int64_t layer) const {
  switch (model_) {
    case RoutingModel::kUniform:
      return std::vector<double>(experts_, 1.0 / static_cast<double>(experts_));
    case RoutingModel::kHistogram:
      return Normalized(histogram_);
    case RoutingModel::kZipf:
      break;
  }
  // Fisher–Yates with our own index draw: std::shuffle's algorithm differs
  // between standard libraries, and builds must repeat exactly everywhere.
  std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(layer) + 1);
  std::vector<int64_t> rank(experts_);
  std::iota(rank.begin(), rank.end(), 0);
  for (int64_t i = experts_ - 1; i > 0; --i) {
    auto j = static_cast<int64_t>(rng() % static_cast<uint64_t>(i + 1));
    std::swap(rank[i], rank[j]);
  }
  std::vector<double> w(experts_);
  for (int64_t e = 0; e < experts_; ++e) {
    w[e] = 1.0 / std::pow(static_cast<double>(rank[e] + 1), zipf_s_);
  }
  return Normalized(w);
}

ExpertPopularity LoadExpertPopularity(const BuildOptions& o, int64_t experts) {
  std::vector<double> histogram;
  if (o.routing == RoutingModel::kHistogram) {
    histogram = ReadHistogram(o.routing_histogram_path, experts);
  }
  if (o.routing == RoutingModel::kZipf && !(o.zipf_s >= 0)) {
    throw ConfigError("option zipf_s = " + std::to_string(o.zipf_s) + " must be >= 0");
  }
  if (!(o.capacity_factor >= 0)) {
    throw ConfigError("option capacity_factor = " + std::to_string(o.capacity_factor) +
                      " must be >= 0");
  }
  return ExpertPopularity(o.routing, o.zipf_s, o.seed, std::move(histogram), experts);
}

std::vector<int64_t> RouteTokens(int64_t tokens, int64_t top_k,
                                 const std::vector<double>& probability,
                                 double capacity_factor, int64_t first_tie) {
  const auto experts = static_cast<int64_t>(probability.size());
  const int64_t assignments = tokens * top_k;
  // A token's top-k experts are distinct, so no expert gets more than
  // `tokens` rows: the excess of very popular experts is re-spread.
  const int64_t cap = tokens;
  // Water-filling: experts whose share exceeds the cap are pinned at it and
  // their excess is re-spread over the others in proportion to popularity.
  std::vector<double> share(experts, 0.0);
  std::vector<bool> pinned(experts, false);
  double remaining = static_cast<double>(assignments);
  for (bool changed = true; changed && remaining > 0;) {
    changed = false;
    double free_p = 0;
    for (int64_t e = 0; e < experts; ++e) free_p += pinned[e] ? 0 : probability[e];
    if (free_p <= 0) break;
    for (int64_t e = 0; e < experts; ++e) {
      if (pinned[e]) continue;
      share[e] = remaining * probability[e] / free_p;
      if (share[e] > static_cast<double>(cap)) {
        share[e] = static_cast<double>(cap);
        pinned[e] = true;
        remaining -= static_cast<double>(cap);
        changed = true;
      }
    }
  }
  const int64_t target = std::min(assignments, cap * experts);
  std::vector<int64_t> rows(experts);
  int64_t assigned = 0;
  for (int64_t e = 0; e < experts; ++e) {
    rows[e] = std::min(cap, static_cast<int64_t>(std::floor(share[e])));
    assigned += rows[e];
  }
  std::vector<int64_t> order(experts);
  // Ties keep this order: from `first_tie` on, cyclically.
  for (int64_t i = 0; i < experts; ++i) order[i] = (first_tie + i) % experts;
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return share[a] - std::floor(share[a]) > share[b] - std::floor(share[b]);
  });
  // Hand out what rounding left, largest remainder first, within the cap.
  for (int64_t pass = 0; assigned < target && pass < 2; ++pass) {
    for (int64_t e : order) {
      if (assigned >= target) break;
      if (rows[e] < cap && (pass == 1 || share[e] > std::floor(share[e]))) {
        ++rows[e];
        ++assigned;
      }
    }
  }
  if (capacity_factor > 0) {
    // Capacity drops what overflows an expert (it is not re-routed).
    auto capacity = static_cast<int64_t>(
        std::ceil(capacity_factor * static_cast<double>(assignments) / experts));
    for (int64_t& r : rows) r = std::min(r, capacity);
  }
  return rows;
}

}  // namespace dsasim::workloads
