// File: arch_models/system/algorithm_choice.h
//
// Which algorithm runs a collective: the system's collective_rules first
// (the first rule of the call's kind whose max_bytes the payload does not
// exceed), else the default rule below. docs/multi_chip.md explains it.
//
// Example:
//   ChooseAlgorithm(topology, COLLECTIVE_ALL_REDUCE, {0, 1, 2, 3}, 1 << 20);
//   // dgx-h100 with switch_reduction: COLLECTIVE_ALGORITHM_SWITCH_REDUCE
//
// Default rule, in order:
//   1. one chip, or AllToAll: DIRECT (AllToAll is always pairwise; the
//      topology's routes carry it);
//   2. AllReduce with switch_reduction and the whole group on one switch:
//      SWITCH_REDUCE;
//   3. AllReduce / AllGather / ReduceScatter whose group spans several
//      nodes of a two-level system, or several lines of a torus along axis
//      0 with more than one chip on each: HIERARCHICAL (when every node or
//      line holds the same number of the group's chips; RING otherwise);
//      a Broadcast across nodes: TREE;
//   4. AllReduce of at most kTreeMaxBytes on 8 chips or more: TREE (it is
//      latency-bound there: 2·log2 n messages instead of 2 (n − 1));
//   5. ring or torus: BIDIRECTIONAL_RING (both directions of every link);
//      fully connected: DIRECT (all of a chip's links at once); a switch:
//      RING.
#pragma once

#include <vector>

#include "arch_models/system/topology.h"

namespace dsasim::arch {

inline constexpr double kTreeMaxBytes = 64 * 1024;

// Throws MappingError when a rule picks an algorithm this group cannot use
// (in-switch reduction across nodes; hierarchical over unequal nodes).
v1::CollectiveAlgorithm ChooseAlgorithm(const Topology& topology, v1::CollectiveKind kind,
                                        const std::vector<int>& group, double bytes);

// The group's ranks split by node (two-level) or by line along torus axis
// 0, in order of first appearance, each in rank order; one group
// elsewhere.
std::vector<std::vector<int>> InnerGroups(const Topology& topology,
                                          const std::vector<int>& group);

}  // namespace dsasim::arch
