// File: sim/utilization_timeline.h
//
// Busy time and bytes of named components over time, kept in fixed-width
// buckets whose width doubles (adjacent buckets merge) whenever a run outgrows
// the bucket budget. Memory stays bounded however long the run, and adding an
// interval costs O(buckets it covers), which is O(1) for the short intervals
// components report.
//
// Example:
//   UtilizationTimeline timeline(/*max_buckets=*/512);
//   int tensor = timeline.AddComponent("tensor", /*capacity=*/132);  // 132 cores
//   timeline.AddBusy(tensor, start, end, /*bytes=*/0);
//   for (auto& row : timeline.Rows()) ...   // busy_fraction in [0, 1]
//
// A component's `capacity` is how many units can be busy at once (cores of a
// class); its busy fraction is busy time / (capacity · bucket width). For
// memories, pass bytes and a peak bandwidth instead: the fraction is bytes /
// (peak · width), bytes beyond the peak carrying into the next bucket.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/run_record.h"
#include "sim/time.h"

namespace dsasim {

class UtilizationTimeline {
 public:
  explicit UtilizationTimeline(int max_buckets = 512,
                               Tick initial_width = Tick::FromNs(100));

  // `capacity`: parallel units (busy-time components). `peak_bytes_per_s`:
  // when > 0 the busy fraction comes from bytes instead of busy time.
  int AddComponent(std::string name, double capacity, double peak_bytes_per_s = 0);

  // REQUIRES: start <= end.
  void AddBusy(int component, Tick start, Tick end, double bytes = 0) {
    AddBusyUnits(component, start, end, 1, bytes);
  }
  // `units` of the component's capacity busy over [start, end) (all cores of
  // a chip at once, say).
  void AddBusyUnits(int component, Tick start, Tick end, double units, double bytes = 0);
  // The component called `name`, or -1.
  int Find(std::string_view name) const;

  const std::string& name(int component) const { return components_[component].name; }
  double total_busy_ps(int component) const {
    return components_[component].total_busy_ps;
  }
  double total_bytes(int component) const { return components_[component].total_bytes; }
  double capacity(int component) const { return components_[component].capacity; }
  size_t num_components() const { return components_.size(); }

  // One row per component per bucket up to `end` (the run's makespan).
  std::vector<TimelineRecord> Rows(Tick end) const;
  // The same rows for one component.
  std::vector<TimelineRecord> ComponentRows(int component, Tick end) const;

  // Widens the buckets as an interval ending at `end` would, so that two
  // timelines built with the same bucket budget and initial width, once
  // extended to the same end, have the same buckets.
  void Extend(Tick end) { Grow(end); }
  int max_buckets() const { return max_buckets_; }
  // Adds the busy time and bytes of every component of `other`, bucket by
  // bucket, to `component`. REQUIRES: the same bucket budget and width —
  // both built alike and extended to the same end.
  void AddBusyOf(int component, const UtilizationTimeline& other);
  Tick initial_width() const { return Tick::FromPs(initial_width_ps_); }

 private:
  struct Component {
    std::string name;
    double capacity;
    double peak_bytes_per_s;
    std::vector<double> busy_ps;
    std::vector<double> bytes;
    double total_busy_ps = 0;
    double total_bytes = 0;
  };
  // Whether the buckets reach `end`: one compare on the hot path.
  bool Covers(Tick end) const { return end.ps() <= covered_ps_; }
  // Widens the buckets until they reach `end`. Throws TimeOverflowError past
  // the horizon (sim/time.h).
  void Grow(Tick end);

  int max_buckets_;
  int64_t initial_width_ps_;
  int64_t width_ps_;
  // width · buckets. Grow refuses ends past the horizon (2^61 ps), so the
  // width stays below 2^62 / buckets and the product inside int64.
  int64_t covered_ps_;
  // The bucket the last interval fell in, [last_lo_ps_, last_hi_ps_): most
  // intervals land in the same one as the one before, and this spares them
  // two divisions. Empty (hi = 0) after Grow.
  int64_t last_bucket_ = 0;
  int64_t last_lo_ps_ = 0;
  int64_t last_hi_ps_ = 0;
  std::vector<Component> components_;
};

}  // namespace dsasim
