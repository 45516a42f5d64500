#include "arch_models/interconnect/mesh_noc.h"

#include <cassert>

#include "sim/error.h"

namespace dsasim::arch {

MeshNoc::MeshNoc(const MeshNocConfig& config)
    : config_(config), topology_(config.width, config.height, config.torus) {
  if (!(config.link_bandwidth > 0) || !(config.endpoint_bandwidth > 0)) {
    throw ConfigError("mesh NoC: link and endpoint bandwidths must be > 0");
  }
  if (config.hop_latency < Tick() || config.endpoint_latency < Tick()) {
    throw ConfigError("mesh NoC: latencies must be >= 0");
  }
  for (int router : config.endpoint_routers) {
    if (router < 0 || router >= topology_.routers()) {
      throw ConfigError("mesh NoC: endpoint on router " + std::to_string(router) +
                        ", off the " + std::to_string(config.width) + " × " +
                        std::to_string(config.height) + " grid");
    }
  }
  const int channels = topology_.LinkIndexSpace() + 2 * endpoints();
  free_.assign(channels, Tick());
  busy_ps_.assign(channels, 0);
  // The longest route: injection, width + height links, ejection.
  reservations_.reserve(config.width + config.height + 2);
}

int MeshNoc::Hops(int src, int dst) const {
  return topology_.Hops(config_.endpoint_routers.at(src),
                        config_.endpoint_routers.at(dst));
}

Tick MeshNoc::PathLatency(int src, int dst) const {
  return config_.endpoint_latency * 2 + config_.hop_latency * Hops(src, dst);
}

Tick MeshNoc::Transfer(int src, int dst, double bytes, Tick start) {
  assert(src >= 0 && src < endpoints() && dst >= 0 && dst < endpoints());
  reservations_.clear();
  const Tick on_link = Tick::FromSeconds(bytes / config_.link_bandwidth);
  const Tick on_endpoint = Tick::FromSeconds(bytes / config_.endpoint_bandwidth);
  // `head`: when the head reaches the next channel. `tail`: when the last
  // byte has left the channels reserved so far — max_i (e_i + the latencies
  // of the channels after c_i up to the current one).
  Tick head = start;
  Tick tail = start;
  auto reserve = [&](int channel, Tick serialize, Tick latency) {
    const Tick s = Max(head, free_[channel]);
    const Tick e = s + serialize;
    free_[channel] = e;
    busy_ps_[channel] += serialize.ps();
    reservations_.push_back({channel, s, e});
    head = s + latency;
    tail = Max(tail, e) + latency;
  };
  reserve(InjectionChannel(src), on_endpoint, config_.endpoint_latency);
  topology_.ForEachLink(config_.endpoint_routers[src], config_.endpoint_routers[dst],
                        [&](int link) { reserve(link, on_link, config_.hop_latency); });
  reserve(EjectionChannel(dst), on_endpoint, config_.endpoint_latency);
  return tail;
}

void MeshNoc::AddBusy(const std::vector<int64_t>& delta) {
  assert(delta.size() == busy_ps_.size());
  for (size_t c = 0; c < busy_ps_.size(); ++c) busy_ps_[c] += delta[c];
}

std::string MeshNoc::ChannelName(int channel) const {
  if (IsLink(channel)) return topology_.LinkName(channel);
  const int endpoint = (channel - topology_.LinkIndexSpace()) / 2;
  const int router = config_.endpoint_routers.at(endpoint);
  const std::string at = "(" + std::to_string(topology_.X(router)) + "," +
                         std::to_string(topology_.Y(router)) + ")";
  const std::string ep = endpoint < static_cast<int>(config_.endpoint_names.size())
                             ? config_.endpoint_names[endpoint]
                             : "endpoint " + std::to_string(endpoint);
  return channel == InjectionChannel(endpoint) ? ep + " → " + at : at + " → " + ep;
}

const ComponentInfo& MeshNoc::Info() {
  static const ComponentInfo info{
      "noc",
      "dsasim.v1.NocSpec",
      "On-chip network between cores and memory. NOC_CROSSBAR: one FCFS port per "
      "core. NOC_MESH / NOC_TORUS: width × height routers (cores row-major), XY "
      "dimension-order routing (a torus goes the shorter way round, ties +), every "
      "link direction and every endpoint's injection/ejection channel a FCFS "
      "server; a route's channels are pipelined (cut-through).",
      {{"kind", "enum", "NOC_CROSSBAR", "NOC_CROSSBAR, NOC_MESH or NOC_TORUS"},
       {"port_bandwidth", "B/s", "(required)",
        "crossbar: one core's port; mesh/torus: one link in one direction"},
       {"hop_latency", "s", "0",
        "crossbar: paid once per transfer; mesh/torus: router to router, per hop"},
       {"width", "count", "(mesh/torus: required)",
        "routers per row; width × height = cores"},
       {"height", "count", "(mesh/torus: required)", "routers per column"},
       {"endpoint_bandwidth", "B/s", "port_bandwidth",
        "mesh/torus: an endpoint's injection or ejection channel to its router"},
       {"endpoint_latency", "s", "0",
        "mesh/torus: endpoint to router and router to endpoint (network interface)"},
       {"memory", "NocAttachSpec", "(mesh/torus: required)",
        "routers of the HBM ports: placement (NOC_PLACEMENT_EDGE_COLUMNS, "
        "NOC_PLACEMENT_LEFT_COLUMN, NOC_PLACEMENT_EDGE_ROWS, "
        "NOC_PLACEMENT_SPLIT_COLUMNS) "
        "or routers { x y }; "
        "channel c is served by port c mod ports"},
       {"shared_sram", "NocAttachSpec", "(mesh/torus with shared SRAM: required)",
        "routers of the shared SRAM's slices; bytes spread evenly over them"}},
      {{"link_busy", "s", "busy time of each link direction (timeline component `noc`)"},
       {"noc_max_link_utilization", "fraction",
        "busiest router-to-router link direction's busy time / run time"},
       {"noc_max_port_utilization", "fraction",
        "busiest endpoint injection/ejection channel's busy time / run time"},
       {"port_busy", "s",
        "busy time of the cores' own channels (crossbar port, or injection/"
        "ejection channel on a mesh), per op"}}};
  return info;
}

}  // namespace dsasim::arch
