// dsasim_phold: the `dsasim bench kernel` PHOLD run as a standalone binary,
// so the kernel can be measured (and profiled under callgrind) without
// building the whole CLI and every model library it links.
//
// Example:
//   dsasim_phold                 # 1024 processes x 4 events, 20 M events
//   dsasim_phold 2000000         # shorter run, e.g. for callgrind
#include <cstdio>
#include <cstdlib>

#include "tools/bench/phold.h"

int main(int argc, char** argv) {
  dsasim::PholdConfig config;
  if (argc > 1) config.events = std::strtoull(argv[1], nullptr, 10);
  if (argc > 2) config.processes = std::atoi(argv[2]);
  dsasim::PholdResult r = dsasim::RunPhold(config);
  std::printf(
      "kernel (PHOLD, %d processes, %llu events)\n"
      "  wall            %.4f s\n"
      "  events/s        %.3f M\n"
      "  peak RSS        %.2f MiB\n"
      "  RSS after 10%%   %.2f MiB, at end %.2f MiB\n"
      "  digest          %016llx\n",
      config.processes, static_cast<unsigned long long>(r.events), r.wall_seconds,
      r.events_per_s / 1e6, static_cast<double>(r.peak_rss_bytes) / (1 << 20),
      static_cast<double>(r.rss_after_warmup_bytes) / (1 << 20),
      static_cast<double>(r.rss_at_end_bytes) / (1 << 20),
      static_cast<unsigned long long>(r.digest));
  return 0;
}
