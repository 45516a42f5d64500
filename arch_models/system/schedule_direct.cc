// Pairwise schedules: every rank sends to every other rank in one step.
// On a fully connected box each pair has its own links, so all of a rank's
// links work at once (what NCCL's several channels achieve); on a switch
// the sends share the rank's port. Sends are listed by offset d = 1 … n − 1
// (rank r to r + d), so each port is booked round-robin rather than one
// destination at a time.
#include "arch_models/system/collective_schedule.h"
#include "sim/error.h"

namespace dsasim::arch {
namespace {

void Pairwise(ScheduleBuilder& b, int n, bool reduce,
              const std::function<double(int src, int dst)>& bytes) {
  for (int d = 1; d < n; ++d) {
    for (int r = 0; r < n; ++r) {
      const int dst = (r + d) % n;
      const double size = bytes(r, dst);
      // A ragged all-to-all sends nothing where it has nothing to send.
      if (size > 0) b.Add(r, dst, size, reduce, b.frontier(r));
    }
  }
}

}  // namespace

void DirectSchedule(ScheduleBuilder& b, const ScheduleRequest& q) {
  const int n = q.ranks;
  const double s = q.bytes.empty() ? 0 : q.bytes[0];
  switch (q.kind) {
    case v1::COLLECTIVE_ALL_REDUCE:
      // Reduce-scatter (rank d gets and sums everyone's chunk d), then
      // all-gather of the reduced chunks.
      Pairwise(b, n, true, [&](int, int) { return s / n; });
      b.EndPhase();
      Pairwise(b, n, false, [&](int, int) { return s / n; });
      break;
    case v1::COLLECTIVE_REDUCE_SCATTER:
      Pairwise(b, n, true, [&](int, int) { return s / n; });
      break;
    case v1::COLLECTIVE_ALL_GATHER:
      Pairwise(b, n, false, [&](int src, int) { return q.bytes[src]; });
      break;
    case v1::COLLECTIVE_ALL_TO_ALL:
      Pairwise(b, n, false, [&](int src, int dst) {
        if (src < static_cast<int>(q.send_bytes.size()) && !q.send_bytes[src].empty()) {
          return q.send_bytes[src][dst];
        }
        return q.bytes[src] / n;
      });
      break;
    case v1::COLLECTIVE_BROADCAST:
      for (int d = 1; d < n; ++d) {
        b.Add(q.root, (q.root + d) % n, q.bytes.at(q.root), false, b.frontier(q.root));
      }
      break;
    default:
      throw MappingError("no direct schedule for " + v1::CollectiveKind_Name(q.kind));
  }
}

}  // namespace dsasim::arch
