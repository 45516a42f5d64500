// Helpers for the system tests: interconnects from textproto snippets, and
// running one collective to completion.
#pragma once

#include <string>
#include <vector>

#include "arch_models/system/collectives.h"
#include "arch_models/system/interconnect_config.h"
#include "dsasim/v1/system.pb.h"
#include "sim/proto_io.h"
#include "sim/simulator.h"

namespace dsasim::arch::testing {

// A system of `chips` chips with `interconnect { <text> }`.
inline v1::System SystemWith(int chips, const std::string& interconnect) {
  v1::System system;
  ParseTextMessage(
      "chips: " + std::to_string(chips) + " interconnect { " + interconnect + " }",
      "test", system);
  return system;
}

inline InterconnectConfig Config(int chips, const std::string& interconnect) {
  return ParseInterconnect(SystemWith(chips, interconnect), "test");
}

// Every participant of `call` arrives at `arrive[rank]` (0 when empty);
// returns their results in rank order.
inline std::vector<CollectiveResult> RunCollective(const InterconnectConfig& config,
                                                   const CollectiveCall& call,
                                                   std::vector<Tick> arrive = {},
                                                   std::vector<double> rates = {}) {
  Simulator sim;
  Interconnect ic(sim, config, rates);
  std::vector<CollectiveResult> results(call.group.size());
  for (size_t r = 0; r < call.group.size(); ++r) {
    const Tick at = arrive.empty() ? Tick() : arrive[r];
    const int chip = call.group[r];
    sim.Post(at, [&ic, &call, &results, chip, r] {
      ic.Arrive(1, call, chip,
                [&results, r](const CollectiveResult& x) { results[r] = x; });
    });
  }
  sim.Run();
  return results;
}

inline Tick LastEnd(const std::vector<CollectiveResult>& results) {
  Tick t;
  for (const auto& r : results) t = Max(t, r.end);
  return t;
}

inline std::vector<int> Chips(int n, int first = 0) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(first + i);
  return v;
}

}  // namespace dsasim::arch::testing
