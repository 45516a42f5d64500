// File: workloads/analysis/link_metrics.h
//
// What the chip-to-chip links did during one run: metrics (link_bytes,
// link_busy_s, link_max_utilization), the busiest links' utilization, and
// timeline rows for the hottest links ("link.<name>", chip = the chip the
// link leaves, or the chip it enters from a switch). The interconnect's
// counters cover the machine's life, so a run counts what they gained since
// `before` (a snapshot taken when it began).
//
// Example:
//   LinkTotals before = SnapshotLinks(links);
//   ... run ...
//   LinkSummary s = SummarizeLinks(links, before, start, end, record);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "arch_models/system/collectives.h"
#include "sim/run_record.h"

namespace dsasim::workloads {

struct LinkTotals {
  std::vector<int64_t> busy_ps;
  std::vector<double> wire_bytes;
};
LinkTotals SnapshotLinks(const arch::Interconnect& links);

struct LinkSummary {
  // The busiest link of the run; empty when no link carried anything.
  std::string busiest_link;
  // Every link busy during the run, busiest first: name, busy fraction.
  std::vector<std::pair<std::string, double>> utilization;
};

// Appends the metrics and the hottest links' rows (`rows` of them) to
// `record`.
LinkSummary SummarizeLinks(arch::Interconnect& links, const LinkTotals& before,
                           Tick start, Tick end, int rows, RunRecord& record);

}  // namespace dsasim::workloads
