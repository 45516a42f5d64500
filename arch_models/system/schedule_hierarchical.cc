// Two-level schedules: within the inner groups (a node's chips, or a line
// along torus axis 0) and across them (the j-th rank of every inner group),
// each level a bidirectional ring. On a torus a wrapped axis then uses both
// of its directions; on a switch the two rings share each port, which
// costs nothing but messages.
//   AllReduce:     inner reduce-scatter (S → S/k), outer AllReduce of S/k,
//                  inner all-gather (S/k → S): the slow level carries S/k.
//   ReduceScatter: inner reduce-scatter, then outer reduce-scatter of S/k.
//   AllGather:     outer all-gather (S → m·S), then inner all-gather of m·S.
#include "arch_models/system/collective_schedule.h"
#include "sim/error.h"

namespace dsasim::arch {

void HierarchicalSchedule(ScheduleBuilder& b, const ScheduleRequest& q) {
  const auto& inner = q.inner_groups;
  const int m = static_cast<int>(inner.size());
  if (m == 0) throw MappingError("hierarchical collective: no inner groups");
  const int k = static_cast<int>(inner[0].size());
  for (const auto& g : inner) {
    if (static_cast<int>(g.size()) != k) {
      throw MappingError(
          "hierarchical collective: the group spans nodes (or torus lines) with " +
          std::to_string(inner[0].size()) + " and " + std::to_string(g.size()) +
          " of its chips; the algorithm needs the same number in each");
    }
  }
  std::vector<std::vector<int>> outer(k);
  for (int j = 0; j < k; ++j) {
    for (const auto& g : inner) outer[j].push_back(g[j]);
  }
  const double s = q.bytes.empty() ? 0 : q.bytes[0];
  auto each = [&](const std::vector<std::vector<int>>& groups, auto phase) {
    for (const auto& g : groups) phase(g);
    b.EndPhase();
  };
  switch (q.kind) {
    case v1::COLLECTIVE_ALL_REDUCE:
      each(inner, [&](const auto& g) { RingReduceScatter(b, g, s, true); });
      each(outer, [&](const auto& g) { RingReduceScatter(b, g, s / k, true); });
      each(outer, [&](const auto& g) { RingAllGather(b, g, s / k / m, true); });
      each(inner, [&](const auto& g) { RingAllGather(b, g, s / k, true); });
      break;
    case v1::COLLECTIVE_REDUCE_SCATTER:
      each(inner, [&](const auto& g) { RingReduceScatter(b, g, s, true); });
      each(outer, [&](const auto& g) { RingReduceScatter(b, g, s / k, true); });
      break;
    case v1::COLLECTIVE_ALL_GATHER:
      each(outer, [&](const auto& g) { RingAllGather(b, g, s, true); });
      each(inner, [&](const auto& g) { RingAllGather(b, g, s * m, true); });
      break;
    default:
      throw MappingError("no hierarchical schedule for " +
                         v1::CollectiveKind_Name(q.kind));
  }
}

}  // namespace dsasim::arch
