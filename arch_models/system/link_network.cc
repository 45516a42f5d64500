#include "arch_models/system/link_network.h"

#include <algorithm>
#include <numeric>

#include "sim/error.h"

namespace dsasim::arch {

LinkNetwork::LinkNetwork(const Topology& topology)
    : topology_(topology),
      free_(topology.num_links()),
      busy_ps_(topology.num_links(), 0),
      wire_bytes_(topology.num_links(), 0) {}

LinkNetwork::Flow LinkNetwork::ReserveLink(int link, double payload_bytes, Flow in) {
  const LinkParams& p = topology_.link(link).params;
  const double wire = payload_bytes / p.payload_efficiency;
  const Tick busy = p.message_overhead + Tick::FromSeconds(wire / p.bandwidth);
  const Tick start = Max(in.head, free_[link]);
  const Tick end = start + busy;
  free_[link] = end;
  busy_ps_[link] += busy.ps();
  wire_bytes_[link] += wire;
  if (timeline_) timeline_->AddBusy(link, start, end, wire);
  return {start + p.message_overhead + p.latency, Max(in.tail, end) + p.latency};
}

Tick LinkNetwork::Reserve(int src_chip, int dst_chip, double payload_bytes, Tick ready) {
  Flow flow{ready, ready};
  last_start_ = ready;
  bool first = true;
  for (int link : topology_.Route(src_chip, dst_chip)) {
    const Tick free_before = free_[link];
    if (first) last_start_ = Max(flow.head, free_before);
    first = false;
    flow = ReserveLink(link, payload_bytes, flow);
  }
  return flow.tail;
}

Tick LinkNetwork::ReserveHost(int chip, bool to_host, double payload_bytes, Tick ready) {
  const int link = topology_.HostLink(chip, to_host);
  if (link < 0) {
    throw MappingError("chip " + std::to_string(chip) +
                       ": the system declares no host link (interconnect.host)");
  }
  last_start_ = Max(ready, free_[link]);
  return ReserveLink(link, payload_bytes, {ready, ready}).tail;
}

int LinkNetwork::BusiestLink() const {
  int best = -1;
  for (int l = 0; l < num_links(); ++l) {
    if (busy_ps_[l] > 0 && (best < 0 || busy_ps_[l] > busy_ps_[best])) best = l;
  }
  return best;
}

void LinkNetwork::EnableTimeline(int max_buckets, Tick initial_width) {
  timeline_ = std::make_unique<UtilizationTimeline>(max_buckets, initial_width);
  for (int l = 0; l < num_links(); ++l) {
    timeline_->AddComponent("link " + topology_.link(l).name, 1);
  }
}

std::vector<TimelineRecord> LinkNetwork::HottestRows(int count, Tick end) {
  if (!timeline_) return {};
  std::vector<int> order(num_links());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return timeline_->total_busy_ps(a) > timeline_->total_busy_ps(b);
  });
  timeline_->Extend(end);
  std::vector<TimelineRecord> rows;
  for (int i = 0; i < std::min(count, num_links()); ++i) {
    const int l = order[static_cast<size_t>(i)];
    if (timeline_->total_busy_ps(l) <= 0) break;
    std::vector<TimelineRecord> one = timeline_->ComponentRows(l, end);
    rows.insert(rows.end(), one.begin(), one.end());
  }
  return rows;
}

}  // namespace dsasim::arch
