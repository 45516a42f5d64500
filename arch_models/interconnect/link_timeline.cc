#include "arch_models/interconnect/link_timeline.h"

#include <algorithm>
#include <numeric>

namespace dsasim::arch {

LinkTimeline::LinkTimeline(const MeshNoc& noc, const UtilizationTimeline& like)
    : timeline_(like.max_buckets(), like.initial_width()) {
  for (int c = 0; c < noc.num_channels() && noc.IsLink(c); ++c) {
    timeline_.AddComponent("noc_link " + noc.ChannelName(c), 1);
  }
}

void LinkTimeline::AddBusy(int channel, Tick start, Tick end, double bytes) {
  timeline_.AddBusy(channel, start, end, bytes);
}

void LinkTimeline::AddTotalTo(UtilizationTimeline& like, int component, Tick end) {
  like.Extend(end);
  timeline_.Extend(end);
  like.AddBusyOf(component, timeline_);
}

std::vector<TimelineRecord> LinkTimeline::HottestRows(int count, Tick end) {
  const int links = static_cast<int>(timeline_.num_components());
  std::vector<int> order(links);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return timeline_.total_busy_ps(a) > timeline_.total_busy_ps(b);
  });
  timeline_.Extend(end);
  std::vector<TimelineRecord> rows;
  for (int i = 0; i < std::min(count, links); ++i) {
    const int c = order[static_cast<size_t>(i)];
    if (timeline_.total_busy_ps(c) <= 0) break;
    std::vector<TimelineRecord> one = timeline_.ComponentRows(c, end);
    rows.insert(rows.end(), one.begin(), one.end());
  }
  return rows;
}

}  // namespace dsasim::arch
