#include "workloads/analysis/communication_metrics.h"

#include <algorithm>
#include <string>
#include <utility>

namespace dsasim::workloads {
namespace {

using Intervals = std::vector<std::pair<int64_t, int64_t>>;

// Sorted, disjoint, with touching intervals merged.
Intervals Union(Intervals v) {
  std::sort(v.begin(), v.end());
  Intervals out;
  for (const auto& [start, end] : v) {
    if (end <= start) continue;
    if (!out.empty() && start <= out.back().second) {
      out.back().second = std::max(out.back().second, end);
    } else {
      out.emplace_back(start, end);
    }
  }
  return out;
}

int64_t Length(const Intervals& v) {
  int64_t sum = 0;
  for (const auto& [start, end] : v) sum += end - start;
  return sum;
}

// Length of `a` not covered by `b` (both from Union).
int64_t Uncovered(const Intervals& a, const Intervals& b) {
  int64_t covered = 0;
  size_t j = 0;
  for (const auto& [start, end] : a) {
    while (j < b.size() && b[j].second <= start) ++j;
    for (size_t k = j; k < b.size() && b[k].first < end; ++k) {
      covered += std::min(end, b[k].second) - std::max(start, b[k].first);
    }
  }
  return Length(a) - covered;
}

}  // namespace

CommunicationTime MeasureCommunication(const std::vector<OpRecord>& ops, int chips,
                                       Tick makespan) {
  std::vector<Intervals> compute(chips), communication(chips);
  int64_t first = makespan.ps();
  for (const OpRecord& op : ops) {
    (op.engine == kLinkEngine ? communication : compute)[op.chip].emplace_back(
        op.start_ps, op.end_ps);
    first = std::min(first, op.start_ps);
  }
  CommunicationTime out;
  const double span_ps = static_cast<double>(makespan.ps() - first);
  double idle = 0;
  // Chips the graph does not use (a pipeline of 4 stages on an 8-chip
  // system) are not part of its pipeline: their idleness is no bubble.
  int used = 0;
  for (int c = 0; c < chips; ++c) {
    if (compute[c].empty() && communication[c].empty()) continue;
    ++used;
    Intervals comp = Union(std::move(compute[c]));
    Intervals comm = Union(std::move(communication[c]));
    out.communication_s = std::max(out.communication_s, Length(comm) * 1e-12);
    out.exposed_s = std::max(out.exposed_s, Uncovered(comm, comp) * 1e-12);
    Intervals both = comp;
    both.insert(both.end(), comm.begin(), comm.end());
    if (span_ps > 0)
      idle += 1.0 - static_cast<double>(Length(Union(std::move(both)))) / span_ps;
  }
  out.idle_fraction = used > 0 ? idle / used : 0;
  return out;
}

}  // namespace dsasim::workloads
