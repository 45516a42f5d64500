// File: arch_models/interconnect/mesh_noc.h
//
// The on-chip network as a 2D mesh or torus of routers (mesh_topology.h)
// with endpoints — cores, memory ports — attached to routers. Every channel
// is a first-come-first-served server with a busy-until time: each link
// direction between two routers, and each endpoint's injection channel
// (endpoint → router) and ejection channel (router → endpoint). No events:
// Transfer() reserves the channels of one route and returns when the last
// byte arrives; the caller schedules its own completion.
//
// Example:
//   MeshNoc noc({.width = 4, .height = 4, .torus = false,
//                .link_bandwidth = 32e9, .endpoint_bandwidth = 32e9,
//                .hop_latency = Tick::FromNs(9),
//                .endpoint_latency = Tick::FromNs(5),
//                .endpoint_routers = {0, 1, …, 15,  // the cores
//                                     4}});         // a memory port at (0,1)
//   Tick done = noc.Transfer(/*src=*/16, /*dst=*/6, /*bytes=*/4096, now);
//   // Router (0,1) → (2,1), two hops:
//   // done = now + 2 · 5 ns + 2 · 9 ns + 4096 B / 32 GB/s
//
// Mechanism (one route, channels c_0 … c_n: the source's injection channel,
// the links in route order, the destination's ejection channel; latency
// l_i for the head to cross c_i: endpoint_latency for c_0 and c_n,
// hop_latency for a link):
//   1. Cut-through pipelining. The head enters c_0 at s_0 = max(start,
//      free_0) and c_i at s_i = max(s_{i-1} + l_{i-1}, free_i): a channel
//      starts forwarding as soon as the head has reached it and it is free,
//      not when the previous channel has finished.
//   2. Each channel is busy for bytes / its bandwidth from s_i:
//      free_i = e_i = s_i + bytes / bw_i.
//   3. The last byte arrives at max_i (e_i + l_i + … + l_n): limited by the
//      slowest channel, not by the sum.
//   Uncontended, with equal bandwidths, a transfer therefore costs
//   2 · endpoint_latency + hops · hop_latency + bytes / bandwidth, and two
//   transfers that share a channel serialize on it.
//
// Why this is acceptable. The simulator reserves resources at descriptor
// granularity (docs/execution_model.md): aggregate channel throughput is
// exact, and so is the zero-load latency of a route. What is not modelled:
// flits, virtual channels, credits and finite router buffers. A blocked
// packet therefore never holds the channels behind it (as wormhole routing
// with small buffers would; this is virtual cut-through with ample
// buffering), and a channel serves transfers in call order rather than
// interleaving their flits (fair arbitration), so under contention the
// latency of an individual transfer is skewed toward earlier callers while
// each channel's busy time — and hence any bandwidth bottleneck — is right.
// REQUIRES: endpoints and bandwidths as the constructor checks; `start`
// need not be non-decreasing (FCFS by call order); bytes >= 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch_models/interconnect/mesh_topology.h"
#include "sim/component_info.h"
#include "sim/time.h"

namespace dsasim::arch {

struct MeshNocConfig {
  int width = 0;
  int height = 0;
  bool torus = false;
  // Bytes/s of one link in one direction.
  double link_bandwidth = 0;
  // Bytes/s of one endpoint's injection or ejection channel.
  double endpoint_bandwidth = 0;
  // Router to router, per hop.
  Tick hop_latency;
  // Endpoint to router, and router to endpoint.
  Tick endpoint_latency;
  // The router each endpoint attaches to; endpoints are numbered by their
  // position here.
  std::vector<int> endpoint_routers;
  // Names for ChannelName ("core 3", "hbm port 1"); "endpoint N" when empty.
  std::vector<std::string> endpoint_names;
};

class MeshNoc {
 public:
  // One channel's part of a transfer.
  struct Reservation {
    int channel;
    Tick start;
    Tick end;
  };

  // Throws ConfigError on non-positive dimensions or bandwidths, a negative
  // latency or an endpoint on a router off the grid.
  explicit MeshNoc(const MeshNocConfig& config);

  // Reserves the route of `bytes` from endpoint `src` to endpoint `dst`, the
  // head leaving `src` at `start` or when its injection channel is free;
  // returns when the last byte has reached `dst`.
  Tick Transfer(int src, int dst, double bytes, Tick start);
  // What the last Transfer() reserved, in route order (injection channel,
  // links, ejection channel).
  const std::vector<Reservation>& last_reservations() const { return reservations_; }
  // Zero-load latency of a message with no payload (a read request):
  // 2 · endpoint_latency + hops · hop_latency. Reserves nothing.
  Tick PathLatency(int src, int dst) const;
  int Hops(int src, int dst) const;

  // Channels: links first, by MeshTopology::LinkIndex (a mesh's absent edge
  // links are never used), then an injection and an ejection channel per
  // endpoint.
  int num_channels() const { return static_cast<int>(free_.size()); }
  bool IsLink(int channel) const { return channel < topology_.LinkIndexSpace(); }
  int InjectionChannel(int endpoint) const {
    return topology_.LinkIndexSpace() + 2 * endpoint;
  }
  int EjectionChannel(int endpoint) const { return InjectionChannel(endpoint) + 1; }
  // "(0,3)→(1,3)" for a link; "hbm port 2 → (0,3)" or "(0,3) → core 24"
  // for an injection or ejection channel.
  std::string ChannelName(int channel) const;

  // Busy picoseconds per channel since construction (integers, so sums and
  // differences of them are exact).
  const std::vector<int64_t>& busy_ps() const { return busy_ps_; }
  // Adds busy time that a replayed op would have reserved (memoization).
  // REQUIRES: delta.size() == num_channels().
  void AddBusy(const std::vector<int64_t>& delta);
  Tick ChannelFree(int channel) const { return free_.at(channel); }

  const MeshTopology& topology() const { return topology_; }
  const MeshNocConfig& config() const { return config_; }
  int endpoints() const { return static_cast<int>(config_.endpoint_routers.size()); }

  // Parameters: the fields of v1::NocSpec (crossbar and mesh/torus).
  static const ComponentInfo& Info();

 private:
  MeshNocConfig config_;
  MeshTopology topology_;
  std::vector<Tick> free_;
  std::vector<int64_t> busy_ps_;
  std::vector<Reservation> reservations_;
};

}  // namespace dsasim::arch
