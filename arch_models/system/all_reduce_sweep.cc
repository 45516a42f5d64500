#include "arch_models/system/all_reduce_sweep.h"

#include <cmath>

#include "arch_models/system/collectives.h"
#include "arch_models/system/interconnect_config.h"

namespace dsasim::arch {

std::vector<double> SimulateAllReduce(const v1::System& system,
                                      const std::vector<double>& sizes,
                                      const std::string& origin,
                                      double reduce_bytes_per_s) {
  const InterconnectConfig config = ParseInterconnect(system, origin);
  std::vector<double> rates;
  if (config.engine == v1::COLLECTIVE_ENGINE_COMPUTE_CORES) {
    rates.assign(config.chips, reduce_bytes_per_s);
  }
  std::vector<double> seconds;
  for (double size : sizes) {
    Simulator sim;
    Interconnect interconnect(sim, config, rates);
    CollectiveCall call;
    call.kind = v1::COLLECTIVE_ALL_REDUCE;
    call.bytes = size;
    for (int c = 0; c < config.chips; ++c) call.group.push_back(c);
    Tick last;
    for (int chip : call.group) {
      interconnect.Arrive(
          0, call, chip, [&last](const CollectiveResult& r) { last = Max(last, r.end); });
    }
    sim.Run();
    seconds.push_back(last.Seconds());
  }
  return seconds;
}

double MeanAbsolutePercentError(const std::vector<double>& sizes,
                                const std::vector<double>& simulated,
                                const std::vector<double>& measured, double min_size) {
  double sum = 0;
  int count = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < min_size) continue;
    sum += std::abs(simulated[i] - measured[i]) / measured[i];
    ++count;
  }
  return count == 0 ? 0 : 100 * sum / count;
}

}  // namespace dsasim::arch
