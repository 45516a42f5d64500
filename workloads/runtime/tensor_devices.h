// File: workloads/runtime/tensor_devices.h
//
// Which chip each tensor lives on, from the ops that touch it: an op's
// inputs and outputs are on its device, except a send/recv's outputs, which
// arrive on its destination. A tensor used on several chips (a replicated
// graph input) lives on each; a view lives where its bases do.
//
// Example:
//   std::vector<std::unordered_set<std::string_view>> on = TensorsByDevice(graph, 8);
//   MemoryPlan plan(graph, chip, &on[3]);
#pragma once

#include <string_view>
#include <unordered_set>
#include <vector>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::workloads {

// REQUIRES: every op's devices are < num_devices. The views point into
// `graph`, which must outlive the result.
std::vector<std::unordered_set<std::string_view>> TensorsByDevice(
    const v1::OperatorGraph& graph, int num_devices);

}  // namespace dsasim::workloads
