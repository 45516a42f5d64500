#include "workloads/analysis/link_metrics.h"

#include <algorithm>
#include <map>

#include "workloads/analysis/run_metrics.h"

namespace dsasim::workloads {

LinkTotals SnapshotLinks(const arch::Interconnect& links) {
  return {links.link_busy_ps(), links.link_wire_bytes()};
}

LinkSummary SummarizeLinks(arch::Interconnect& links, const LinkTotals& before,
                           Tick start, Tick end, int rows, RunRecord& r) {
  const int chips = links.topology().chips();
  const double seconds = (end - start).Seconds();
  LinkSummary out;
  double wire_bytes = 0, busy_s = 0, busiest_s = 0;
  for (int l = 0; l < links.num_links(); ++l) {
    const double busy =
        static_cast<double>(links.link_busy_ps()[l] - before.busy_ps[l]) * 1e-12;
    wire_bytes += links.link_wire_bytes()[l] - before.wire_bytes[l];
    busy_s += busy;
    if (busy <= 0 || seconds <= 0) continue;
    out.utilization.emplace_back(links.LinkName(l), busy / seconds);
    if (busy > busiest_s) {
      busiest_s = busy;
      out.busiest_link = links.LinkName(l);
    }
  }
  std::stable_sort(out.utilization.begin(), out.utilization.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  AddMetric(r, "link_bytes", wire_bytes, "B");
  AddMetric(r, "link_busy_s", busy_s, "s");
  AddMetric(r, "link_max_utilization", seconds > 0 ? busiest_s / seconds : 0, "fraction");

  // The link timeline names its components "link <name>".
  std::map<std::string, int> chip_of;
  for (int l = 0; l < links.num_links(); ++l) {
    const arch::Topology::Link& link = links.topology().link(l);
    chip_of["link " + link.name] = link.from < chips ? link.from
                                   : link.to < chips ? link.to
                                                     : 0;
  }
  for (TimelineRecord& row : links.HottestLinkRows(rows, end)) {
    if (row.end_ps <= start.ps() && start.ps() > 0) continue;  // an earlier run's
    auto it = chip_of.find(row.component);
    row.chip = it != chip_of.end() ? it->second : 0;
    row.component = "link." + row.component.substr(row.component.find(' ') + 1);
    r.timeline.push_back(std::move(row));
  }
  return out;
}

}  // namespace dsasim::workloads
