#include "sim/utilization_timeline.h"

#include <algorithm>
#include <cassert>

namespace dsasim {

UtilizationTimeline::UtilizationTimeline(int max_buckets, Tick initial_width)
    // Growth merges bucket pairs, so the count is kept even.
    : max_buckets_(std::max(2, max_buckets + max_buckets % 2)),
      initial_width_ps_(std::max<int64_t>(1, initial_width.ps())),
      width_ps_(initial_width_ps_),
      covered_ps_(width_ps_ * max_buckets_) {}

int UtilizationTimeline::AddComponent(std::string name, double capacity,
                                      double peak_bytes_per_s) {
  Component c;
  c.name = std::move(name);
  c.capacity = capacity > 0 ? capacity : 1;
  c.peak_bytes_per_s = peak_bytes_per_s;
  c.busy_ps.assign(max_buckets_, 0.0);
  c.bytes.assign(max_buckets_, 0.0);
  components_.push_back(std::move(c));
  return static_cast<int>(components_.size()) - 1;
}

void UtilizationTimeline::Grow(Tick end) {
  if (end.ps() > Tick::kHorizonPs) [[unlikely]] {
    throw TimeOverflowError("simulated time overflow: an interval ends at " +
                            std::to_string(end.Seconds()) +
                            " s, past the 2^61 ps (26.7-day) horizon; a parameter is "
                            "far out of range");
  }
  // Below the horizon the width stays under 2^61 / max_buckets · 2, so
  // (bucket + 1) · width never overflows.
  while (!Covers(end)) {
    // Merge bucket pairs: the timeline keeps its bucket count, each bucket
    // now covers twice the time.
    for (Component& c : components_) {
      for (int i = 0; i < max_buckets_ / 2; ++i) {
        c.busy_ps[i] = c.busy_ps[2 * i] + c.busy_ps[2 * i + 1];
        c.bytes[i] = c.bytes[2 * i] + c.bytes[2 * i + 1];
      }
      std::fill(c.busy_ps.begin() + max_buckets_ / 2, c.busy_ps.end(), 0.0);
      std::fill(c.bytes.begin() + max_buckets_ / 2, c.bytes.end(), 0.0);
    }
    width_ps_ *= 2;
    covered_ps_ = width_ps_ * max_buckets_;
    last_lo_ps_ = last_hi_ps_ = 0;
  }
}

int UtilizationTimeline::Find(std::string_view name) const {
  for (size_t c = 0; c < components_.size(); ++c) {
    if (components_[c].name == name) return static_cast<int>(c);
  }
  return -1;
}

void UtilizationTimeline::AddBusyUnits(int component, Tick start, Tick end, double units,
                                       double bytes) {
  assert(start <= end && start.ps() >= 0);
  if (!Covers(end)) [[unlikely]]
    Grow(end);
  Component& c = components_[component];
  const int64_t s = start.ps(), e = end.ps();
  c.total_busy_ps += units * static_cast<double>(e - s);
  c.total_bytes += bytes;
  if (s >= last_lo_ps_ && s < last_hi_ps_ && e <= last_hi_ps_) {
    // In the last interval's bucket: s / width and (e − 1) / width are both
    // last_bucket_ (or e = s).
    c.busy_ps[last_bucket_] += static_cast<double>(e - s);
    c.bytes[last_bucket_] += bytes;
    return;
  }
  const int64_t first = s / width_ps_;
  const int64_t last = e > s ? (e - 1) / width_ps_ : first;
  if (first == last) {
    // The common case: the interval lies in one bucket.
    const int64_t b = std::min<int64_t>(first, max_buckets_ - 1);
    c.busy_ps[b] += units * static_cast<double>(e - s);
    c.bytes[b] += bytes;
    if (b == first) {
      last_bucket_ = b;
      last_lo_ps_ = b * width_ps_;
      last_hi_ps_ = last_lo_ps_ + width_ps_;
    }
    return;
  }
  // Spread busy time and bytes over the buckets the interval covers, in
  // proportion to the overlap.
  const double per_ps = bytes / static_cast<double>(e - s);
  for (int64_t b = first; b <= last && b < max_buckets_; ++b) {
    const int64_t lo = std::max(s, b * width_ps_);
    const int64_t hi = std::min(e, (b + 1) * width_ps_);
    const double overlap = static_cast<double>(hi - lo);
    c.busy_ps[b] += units * overlap;
    c.bytes[b] += per_ps * overlap;
  }
}

void UtilizationTimeline::AddBusyOf(int component, const UtilizationTimeline& other) {
  assert(other.max_buckets_ == max_buckets_ && other.width_ps_ == width_ps_);
  Component& c = components_[component];
  for (const Component& o : other.components_) {
    for (int b = 0; b < max_buckets_; ++b) {
      c.busy_ps[b] += o.busy_ps[b];
      c.bytes[b] += o.bytes[b];
    }
    c.total_busy_ps += o.total_busy_ps;
    c.total_bytes += o.total_bytes;
  }
}

std::vector<TimelineRecord> UtilizationTimeline::Rows(Tick end) const {
  std::vector<TimelineRecord> rows;
  for (size_t c = 0; c < components_.size(); ++c) {
    std::vector<TimelineRecord> one = ComponentRows(static_cast<int>(c), end);
    rows.insert(rows.end(), one.begin(), one.end());
  }
  return rows;
}

std::vector<TimelineRecord> UtilizationTimeline::ComponentRows(int component,
                                                               Tick end) const {
  const Component& c = components_[component];
  std::vector<TimelineRecord> rows;
  int64_t buckets =
      std::min<int64_t>(max_buckets_, (end.ps() + width_ps_ - 1) / width_ps_);
  // Bytes past what the peak moves in a bucket (an access's bytes are
  // spread evenly over [issue, arrival], not over when they really moved)
  // carry into the next bucket rather than being cut at a fraction of 1:
  // the rows keep every byte, and weighted over the run they agree with
  // bytes / (peak · makespan), the utilization metrics' definition.
  double carry = 0;
  for (int64_t b = 0; b < buckets; ++b) {
    int64_t lo = b * width_ps_;
    int64_t hi = std::min(end.ps(), (b + 1) * width_ps_);
    if (hi <= lo) break;
    double width = static_cast<double>(hi - lo);
    double bytes = c.bytes[b];
    double fraction;
    if (c.peak_bytes_per_s > 0) {
      const double movable = c.peak_bytes_per_s * width * 1e-12;
      bytes += carry;
      carry = std::max(0.0, bytes - movable);
      bytes -= carry;
      fraction = bytes / movable;
    } else {
      fraction = c.busy_ps[b] / (c.capacity * width);
    }
    rows.push_back({c.name, lo, hi, std::min(1.0, fraction), bytes});
  }
  return rows;
}

}  // namespace dsasim
