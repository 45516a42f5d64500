#include "arch_models/system/collective_schedule.h"

#include "sim/error.h"

namespace dsasim::arch {

int ScheduleBuilder::Add(int src, int dst, double bytes, bool reduce,
                         std::vector<int> after) {
  s_.transfers.push_back({src, dst, bytes, reduce, std::move(after)});
  const int index = static_cast<int>(s_.transfers.size()) - 1;
  if (incoming_.empty()) incoming_.resize(frontier_.size());
  incoming_[dst].push_back(index);
  return index;
}

void ScheduleBuilder::EndPhase() {
  if (incoming_.empty()) return;
  for (size_t r = 0; r < frontier_.size(); ++r) {
    if (!incoming_[r].empty()) frontier_[r] = std::move(incoming_[r]);
    incoming_[r].clear();
  }
}

Schedule BuildSchedule(const ScheduleRequest& request) {
  Schedule s;
  const int n = request.ranks;
  if (n <= 1) return s;
  const double bytes = request.bytes.empty() ? 0 : request.bytes[0];
  ScheduleBuilder b(s, n);
  std::vector<int> all(n);
  for (int r = 0; r < n; ++r) all[r] = r;
  const bool bidi = request.algorithm == v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING;
  switch (request.algorithm) {
    case v1::COLLECTIVE_ALGORITHM_RING:
    case v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING:
      switch (request.kind) {
        case v1::COLLECTIVE_ALL_REDUCE:
          RingReduceScatter(b, all, bytes, bidi);
          b.EndPhase();
          RingAllGather(b, all, bytes / n, bidi);
          break;
        case v1::COLLECTIVE_REDUCE_SCATTER:
          RingReduceScatter(b, all, bytes, bidi);
          break;
        case v1::COLLECTIVE_ALL_GATHER:
          RingAllGather(b, all, bytes, bidi);
          break;
        case v1::COLLECTIVE_BROADCAST:
          RingBroadcast(b, all, request.root, request.bytes.at(request.root), bidi);
          break;
        default:
          throw MappingError("a ring cannot run " +
                             v1::CollectiveKind_Name(request.kind));
      }
      break;
    case v1::COLLECTIVE_ALGORITHM_TREE:
      if (request.kind == v1::COLLECTIVE_ALL_REDUCE) {
        TreeAllReduce(b, n, bytes);
      } else if (request.kind == v1::COLLECTIVE_BROADCAST) {
        TreeBroadcast(b, n, request.root, request.bytes.at(request.root));
      } else {
        throw MappingError("a tree cannot run " + v1::CollectiveKind_Name(request.kind));
      }
      break;
    case v1::COLLECTIVE_ALGORITHM_DIRECT:
      DirectSchedule(b, request);
      break;
    case v1::COLLECTIVE_ALGORITHM_HIERARCHICAL:
      HierarchicalSchedule(b, request);
      break;
    case v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE:
      if (request.kind != v1::COLLECTIVE_ALL_REDUCE) {
        throw MappingError("in-switch reduction runs AllReduce only, not " +
                           v1::CollectiveKind_Name(request.kind));
      }
      s.switch_reduce_bytes = bytes;
      break;
    default:
      throw MappingError("no schedule for algorithm " +
                         v1::CollectiveAlgorithm_Name(request.algorithm));
  }
  return s;
}

}  // namespace dsasim::arch
