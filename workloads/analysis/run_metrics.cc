#include "workloads/analysis/run_metrics.h"

#include <algorithm>

namespace dsasim::workloads {
namespace {

// The busiest router-to-router link and the busiest endpoint channel (a
// core's or memory port's injection or ejection) over the run, over every
// chip; chips ≥ 1 name theirs with a "chipN." prefix.
void AddNocMetrics(const std::vector<const arch::Chip*>& chips, Tick makespan,
                   RunRecord& record, RunSummary& out) {
  const double seconds = makespan.Seconds();
  int64_t link_busy = -1, port_busy = -1;
  for (size_t c = 0; c < chips.size(); ++c) {
    const arch::MeshNoc* noc = chips[c]->noc();
    const std::vector<int64_t>& busy = noc->busy_ps();
    const std::string prefix = chips.size() > 1 ? "chip" + std::to_string(c) + "." : "";
    for (int ch = 0; ch < noc->num_channels(); ++ch) {
      int64_t& best = noc->IsLink(ch) ? link_busy : port_busy;
      std::string& name = noc->IsLink(ch) ? out.noc_busiest_link : out.noc_busiest_port;
      if (busy[ch] > best) {
        best = busy[ch];
        name = prefix + noc->ChannelName(ch);
      }
    }
  }
  auto utilization = [&](int64_t busy) {
    return busy >= 0 && seconds > 0 ? static_cast<double>(busy) * 1e-12 / seconds : 0.0;
  };
  AddMetric(record, "noc_max_link_utilization", utilization(link_busy), "fraction");
  AddMetric(record, "noc_max_port_utilization", utilization(port_busy), "fraction");
}

// One component's utilization on one chip over `seconds`.
double Utilization(const UtilizationTimeline& timeline, size_t c,
                   const arch::ChipConfig& chip, double seconds) {
  if (seconds <= 0) return 0;
  const std::string& name = timeline.name(static_cast<int>(c));
  if (name == "hbm")
    return timeline.total_bytes(c) / (chip.hbm.peak_bandwidth() * seconds);
  if (name == "shared_sram") {
    return chip.shared_sram.bandwidth > 0
               ? timeline.total_bytes(c) / (chip.shared_sram.bandwidth * seconds)
               : 0;
  }
  // Units that can be busy at once: cores of a class, DMA engines,
  // crossbar ports or mesh link directions.
  double capacity = timeline.capacity(static_cast<int>(c));
  return timeline.total_busy_ps(c) * 1e-12 / (capacity * seconds);
}

}  // namespace

void AddMetric(RunRecord& r, std::string name, double value, std::string unit) {
  r.metrics.push_back({std::move(name), value, std::move(unit)});
}

RunSummary SummarizeRun(const std::vector<const arch::Chip*>& chips,
                        const std::vector<const UtilizationTimeline*>& timelines,
                        double tokens, Tick makespan, RunRecord& r) {
  RunSummary out;
  const arch::ChipConfig& chip = chips.front()->config();
  const double seconds = makespan.Seconds();
  const double n = static_cast<double>(chips.size());
  double flops = 0, hbm_bytes = 0;
  std::map<std::string, std::map<std::string, double>> bound_time;
  for (const OpRecord& op : r.ops) {
    flops += op.flops;
    hbm_bytes += op.bytes;
    double dt = (op.end_ps - op.start_ps) * 1e-12;
    out.seconds_by_kind[op.kind] += dt;
    bound_time[op.kind][op.bound] += dt;
  }
  for (const auto& [kind, times] : bound_time) {
    out.bound_by_kind[kind] =
        std::max_element(times.begin(), times.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->first;
  }
  AddMetric(r, "latency_s", seconds, "s");
  AddMetric(r, "tokens_per_s", seconds > 0 ? tokens / seconds : 0, "tokens/s");
  AddMetric(r, "flops", flops, "FLOP");
  AddMetric(r, "achieved_flops_per_s", seconds > 0 ? flops / seconds : 0, "FLOP/s");
  AddMetric(r, "hbm_bytes", hbm_bytes, "B");
  AddMetric(r, "hbm_bandwidth_Bps", seconds > 0 ? hbm_bytes / seconds : 0, "B/s");
  AddMetric(r, "hbm_peak_bandwidth_Bps", n * chip.hbm.peak_bandwidth(), "B/s");
  // Every chip is built alike, so their timelines list the same components
  // in the same order.
  const UtilizationTimeline& first = *timelines.front();
  for (size_t c = 0; c < first.num_components(); ++c) {
    double sum = 0;
    for (const UtilizationTimeline* t : timelines)
      sum += Utilization(*t, c, chip, seconds);
    AddMetric(r, "utilization_" + first.name(static_cast<int>(c)), sum / n, "fraction");
  }
  if (chips.front()->noc() != nullptr) AddNocMetrics(chips, makespan, r, out);
  AddMetric(r, "ops", static_cast<double>(r.ops.size()), "count");
  // Cache mode: what each cached SRAM level did (the same names with
  // sram_cache_ for the cores' caches, shared_cache_ for the shared one),
  // summed over chips.
  if (chips.front()->caches() != nullptr) {
    auto add_level = [&](const std::string& prefix, auto totals_of) {
      arch::CacheLevelTotals sum = totals_of(*chips.front()->caches());
      if (!sum.enabled) return;
      for (size_t c = 1; c < chips.size(); ++c) sum += totals_of(*chips[c]->caches());
      AddMetric(r, prefix + "hit_rate", sum.hit_rate(), "fraction");
      AddMetric(r, prefix + "hit_lines", static_cast<double>(sum.hit_lines), "count");
      AddMetric(r, prefix + "miss_lines", static_cast<double>(sum.miss_lines), "count");
      AddMetric(r, prefix + "fill_bytes", sum.fill_bytes, "B");
      AddMetric(r, prefix + "writeback_bytes", sum.writeback_bytes, "B");
      AddMetric(r, prefix + "dirty_bytes_at_end", sum.dirty_bytes, "B");
    };
    add_level("sram_cache_",
              [](const arch::CacheHierarchy& h) { return h.core_totals(); });
    add_level("shared_cache_",
              [](const arch::CacheHierarchy& h) { return h.shared_totals(); });
  }
  return out;
}

}  // namespace dsasim::workloads
