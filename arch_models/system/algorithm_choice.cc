#include "arch_models/system/algorithm_choice.h"

#include <map>

#include "sim/error.h"

namespace dsasim::arch {
namespace {

bool Balanced(const std::vector<std::vector<int>>& groups) {
  for (const auto& g : groups) {
    if (g.size() != groups[0].size()) return false;
  }
  return true;
}

bool OnOneSwitch(const Topology& t, const std::vector<int>& group) {
  if (!t.config().IsSwitched()) return false;
  for (int chip : group) {
    if (t.NodeOfChip(chip) != t.NodeOfChip(group[0])) return false;
  }
  return true;
}

v1::CollectiveAlgorithm DefaultAlgorithm(const Topology& t, v1::CollectiveKind kind,
                                         const std::vector<int>& group, double bytes) {
  const int n = static_cast<int>(group.size());
  const InterconnectConfig& c = t.config();
  if (n <= 1 || kind == v1::COLLECTIVE_ALL_TO_ALL) return v1::COLLECTIVE_ALGORITHM_DIRECT;
  if (kind == v1::COLLECTIVE_ALL_REDUCE && c.switch_reduction && OnOneSwitch(t, group)) {
    return v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE;
  }
  const auto inner = InnerGroups(t, group);
  const bool spans = inner.size() > 1 && inner[0].size() > 1;
  if (spans && kind != v1::COLLECTIVE_BROADCAST) {
    return Balanced(inner) ? v1::COLLECTIVE_ALGORITHM_HIERARCHICAL
                           : v1::COLLECTIVE_ALGORITHM_RING;
  }
  if (inner.size() > 1 && kind == v1::COLLECTIVE_BROADCAST &&
      c.topology == v1::LINK_TWO_LEVEL) {
    return v1::COLLECTIVE_ALGORITHM_TREE;
  }
  if (kind == v1::COLLECTIVE_ALL_REDUCE && n >= 8 && bytes <= kTreeMaxBytes) {
    return v1::COLLECTIVE_ALGORITHM_TREE;
  }
  if (c.topology == v1::LINK_RING || c.IsTorus()) {
    return v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING;
  }
  if (c.topology == v1::LINK_FULLY_CONNECTED) return v1::COLLECTIVE_ALGORITHM_DIRECT;
  return v1::COLLECTIVE_ALGORITHM_RING;
}

}  // namespace

std::vector<std::vector<int>> InnerGroups(const Topology& t,
                                          const std::vector<int>& group) {
  const InterconnectConfig& c = t.config();
  std::map<int, size_t> index;  // key → position in `groups`
  std::vector<std::vector<int>> groups;
  for (int rank = 0; rank < static_cast<int>(group.size()); ++rank) {
    const int chip = group[rank];
    int key = 0;
    if (c.topology == v1::LINK_TWO_LEVEL) key = t.NodeOfChip(chip);
    if (c.IsTorus()) key = chip / c.dims[0];
    auto [it, fresh] = index.try_emplace(key, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(rank);
  }
  return groups;
}

v1::CollectiveAlgorithm ChooseAlgorithm(const Topology& t, v1::CollectiveKind kind,
                                        const std::vector<int>& group, double bytes) {
  const InterconnectConfig& c = t.config();
  for (size_t i = 0; i < c.rules.size(); ++i) {
    const CollectiveRuleParams& rule = c.rules[i];
    if (rule.kind != kind || bytes > rule.max_bytes) continue;
    if (rule.algorithm == v1::COLLECTIVE_ALGORITHM_AUTO) break;
    const std::string which = "interconnect.collective_rules[" + std::to_string(i) +
                              "] (" + v1::CollectiveAlgorithm_Name(rule.algorithm) + ")";
    if (rule.algorithm == v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE &&
        !OnOneSwitch(t, group)) {
      throw MappingError(which +
                         ": the group spans several switches; in-switch "
                         "reduction needs every chip on one");
    }
    if (rule.algorithm == v1::COLLECTIVE_ALGORITHM_HIERARCHICAL &&
        !Balanced(InnerGroups(t, group))) {
      throw MappingError(which +
                         ": the group's chips are spread unevenly over nodes "
                         "or torus lines");
    }
    return rule.algorithm;
  }
  return DefaultAlgorithm(t, kind, group, bytes);
}

}  // namespace dsasim::arch
