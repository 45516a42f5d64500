#include "workloads/analysis/bound_class.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace dsasim::workloads {

std::string BoundClass(const arch::OpStats& s, const arch::ChipConfig& chip) {
  double seconds = (s.end - s.start).Seconds();
  if (seconds <= 0 || s.active_cores == 0) return "overhead";
  double core_seconds = seconds * s.active_cores;
  double compute = 0;
  for (double busy : s.engine_busy_ps)
    compute = std::max(compute, busy * 1e-12 / core_seconds);
  // HBM: its bytes over peak, or its busiest channel when the access
  // pattern camps on few channels (the others idle, the total stays low).
  double hbm = std::max(s.hbm_bytes / (chip.hbm.peak_bandwidth() * seconds),
                        s.hbm_max_channel_busy_ps * 1e-12 / seconds);
  double sram = chip.shared_sram.bandwidth > 0
                    ? s.shared_sram_bytes / (chip.shared_sram.bandwidth * seconds)
                    : 0;
  // Data movement into the cores: the crossbar ports (or a mesh's core
  // channels), or the DMA engines when they are the narrower pipe; on a mesh
  // or torus also the busiest link or memory port, which a hot spot can
  // saturate while the cores' own channels idle.
  double interconnect =
      std::max(s.port_busy_ps, s.dma_busy_ps / std::max(1, chip.dma.engines)) * 1e-12 /
      core_seconds;
  interconnect = std::max(interconnect, s.noc_max_channel_busy_ps * 1e-12 / seconds);
  std::pair<double, const char*> classes[] = {
      {compute, "compute"}, {hbm, "hbm"}, {sram, "sram"}, {interconnect, "interconnect"}};
  auto best =
      std::max_element(std::begin(classes), std::end(classes),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
  return best->first >= 0.5 ? best->second : "overhead";
}

}  // namespace dsasim::workloads
