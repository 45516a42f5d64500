// Ring schedules: reduce-scatter, all-gather and pipelined broadcast, one
// ring or two in opposite directions (bidirectional: half the data each).
#include <algorithm>

#include "arch_models/system/collective_schedule.h"

namespace dsasim::arch {
namespace {

// The rings a phase runs on: the rank order, and its reverse when
// bidirectional.
std::vector<std::vector<int>> Lanes(const std::vector<int>& ranks, bool bidirectional) {
  std::vector<std::vector<int>> lanes{ranks};
  if (bidirectional) lanes.emplace_back(ranks.rbegin(), ranks.rend());
  return lanes;
}

// |ranks| − 1 steps; in each, every rank sends `chunk` to its successor on
// every lane. Step k's send waits for step k − 1's transfer into the
// sender on the same lane (that is the chunk it forwards, reduced or not).
void RingSteps(ScheduleBuilder& b, const std::vector<int>& ranks, double chunk,
               bool reduce, bool bidirectional) {
  const int m = static_cast<int>(ranks.size());
  if (m <= 1) return;
  const auto lanes = Lanes(ranks, bidirectional);
  // into[lane][p]: the last transfer into lanes[lane][p].
  std::vector<std::vector<int>> into(lanes.size(), std::vector<int>(m, -1));
  for (int step = 0; step < m - 1; ++step) {
    std::vector<std::vector<int>> next = into;
    for (size_t l = 0; l < lanes.size(); ++l) {
      for (int p = 0; p < m; ++p) {
        const int src = lanes[l][p];
        const int q = (p + 1) % m;
        std::vector<int> after =
            step == 0 ? b.frontier(src) : std::vector<int>{into[l][p]};
        next[l][q] = b.Add(src, lanes[l][q], chunk, reduce, std::move(after));
      }
    }
    into = std::move(next);
  }
}

}  // namespace

void RingReduceScatter(ScheduleBuilder& b, const std::vector<int>& ranks, double bytes,
                       bool bidirectional) {
  const double lane = bidirectional ? bytes / 2 : bytes;
  RingSteps(b, ranks, lane / static_cast<double>(ranks.size()), true, bidirectional);
}

void RingAllGather(ScheduleBuilder& b, const std::vector<int>& ranks, double piece,
                   bool bidirectional) {
  const double lane = bidirectional ? piece / 2 : piece;
  RingSteps(b, ranks, lane, false, bidirectional);
}

void RingBroadcast(ScheduleBuilder& b, const std::vector<int>& ranks, int root,
                   double bytes, bool bidirectional) {
  const int m = static_cast<int>(ranks.size());
  if (m <= 1) return;
  const auto lanes = Lanes(ranks, bidirectional);
  const double chunk = bytes / static_cast<double>(lanes.size()) / kBroadcastChunks;
  // Chunk by chunk (so each link is booked in chunk order), hop h of a
  // chunk waiting for its hop h − 1.
  for (int c = 0; c < kBroadcastChunks; ++c) {
    for (const auto& lane : lanes) {
      const int start = static_cast<int>(
          std::find(lane.begin(), lane.end(), ranks[root]) - lane.begin());
      int last = -1;
      for (int h = 0; h < m - 1; ++h) {
        const int src = lane[(start + h) % m];
        const int dst = lane[(start + h + 1) % m];
        std::vector<int> after = h == 0 ? b.frontier(src) : std::vector<int>{last};
        last = b.Add(src, dst, chunk, false, std::move(after));
      }
    }
  }
}

}  // namespace dsasim::arch
