// File: arch_models/interconnect/link_timeline.h
//
// Utilization over time of each link direction of a mesh or torus, so that
// the run's timeline can show where the network is contended: the `noc`
// component averages over every link, which hides a hot one (on mesh-dsa's
// Llama-3-8B decode the busiest link is 86 % busy while the average is
// 27 %). Only the busiest links' rows are kept in the result: the 224 link
// directions of an 8×8 mesh would add ~100 k rows per run.
//
// Example:
//   LinkTimeline links(noc, chip_timeline);           // the same buckets
//   links.AddBusy(channel, start, end, bytes);        // per reservation
//   for (TimelineRecord& row : links.HottestRows(4, makespan)) ...
//   // component "noc_link (3,4)→(3,3)", busiest link first
#pragma once

#include <vector>

#include "arch_models/interconnect/mesh_noc.h"
#include "sim/run_record.h"
#include "sim/time.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {

class LinkTimeline {
 public:
  // One component per link index of `noc` (MeshNoc::IsLink; a mesh's
  // absent edge links included, never busy), with the bucket budget and
  // initial width of `like`, the timeline the rows will join.
  LinkTimeline(const MeshNoc& noc, const UtilizationTimeline& like);

  // REQUIRES: noc.IsLink(channel); start <= end.
  void AddBusy(int channel, Tick start, Tick end, double bytes);

  // Extends both timelines to `end` and adds every link's busy time and
  // bytes to `component` of `like` (the mesh's `noc` component is derived this way
  // rather than recorded twice per reservation).
  void AddTotalTo(UtilizationTimeline& like, int component, Tick end);

  // The timeline rows, up to `end`, of the `count` links with the most busy
  // time (ties: lower channel first; links never used are left out),
  // busiest first. Components are named "noc_link " + the link's name.
  // The buckets line up with those of `like` when that is extended to
  // `end` too.
  std::vector<TimelineRecord> HottestRows(int count, Tick end);

 private:
  UtilizationTimeline timeline_;  // component = link channel
};

}  // namespace dsasim::arch
