// Binomial trees, the whole buffer per message: latency-optimal for small
// payloads (2 · ceil(log2 n) messages on the critical path of an
// AllReduce instead of a ring's 2 (n − 1)), bandwidth-poor for large ones.
// Not NCCL's pipelined double binary tree: the default rule uses trees
// only for small AllReduces, where pipelining would not pay.
#include "arch_models/system/collective_schedule.h"

namespace dsasim::arch {
namespace {

// Binomial broadcast over relative ranks v = (r − root) mod n: in the
// round of `mask` (highest first), every v that is a multiple of 2·mask
// sends to v + mask. `have[r]`: what r's sends wait for.
void BinomialBroadcast(ScheduleBuilder& b, int n, int root, double bytes,
                       std::vector<std::vector<int>>& have) {
  int top = 1;
  while (top < n) top <<= 1;
  for (int mask = top >> 1; mask >= 1; mask >>= 1) {
    for (int v = 0; v + mask < n; v += 2 * mask) {
      const int src = (v + root) % n;
      const int dst = (v + mask + root) % n;
      have[dst] = {b.Add(src, dst, bytes, false, have[src])};
    }
  }
}

}  // namespace

void TreeAllReduce(ScheduleBuilder& b, int n, double bytes) {
  // Reduce to rank 0: in the round of `mask` (lowest first), every rank
  // whose lowest set bit is `mask` sends its partial sum to rank − mask,
  // once everything it was to receive has arrived and been reduced.
  std::vector<std::vector<int>> have(n);
  for (int r = 0; r < n; ++r) have[r] = b.frontier(r);
  for (int mask = 1; mask < n; mask <<= 1) {
    for (int r = mask; r < n; r += 2 * mask) {
      have[r - mask].push_back(b.Add(r, r - mask, bytes, true, have[r]));
    }
  }
  BinomialBroadcast(b, n, 0, bytes, have);
}

void TreeBroadcast(ScheduleBuilder& b, int n, int root, double bytes) {
  std::vector<std::vector<int>> have(n);
  for (int r = 0; r < n; ++r) have[r] = b.frontier(r);
  BinomialBroadcast(b, n, root, bytes, have);
}

}  // namespace dsasim::arch
