#include "tools/store/perfetto_trace.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "sim/json_writer.h"

namespace dsasim::store {
namespace {

// The JsonWriter chains below are laid out as the JSON they write: one
// key/value per line.
// clang-format off

// Trace-event timestamps are microseconds; ours are picoseconds.
double Micros(int64_t ps) { return static_cast<double>(ps) / 1e6; }

// Core -1 (all cores) becomes thread 0, core N thread N + 1, so every id is
// non-negative and "all cores" sorts first. A chip's collectives and
// send/recv (engine "link") get a thread of their own, last: on a
// communication stream they overlap the chip's compute, and one thread's
// slices must nest.
constexpr int64_t kLinkThread = int64_t{1} << 31;
int64_t ThreadId(const OpRecord& op) {
  return op.engine == "link" ? kLinkThread : int64_t{op.core} + 1;
}

void Metadata(JsonWriter& json, std::string_view what, int64_t pid, int64_t tid,
              std::string_view key, std::string_view name, int64_t sort_index) {
  json.BeginObject()
      .Key("ph").String("M")
      .Key("name").String(what)
      .Key("pid").Int(pid)
      .Key("tid").Int(tid)
      .Key("args").BeginObject()
          .Key(key).String(name)
      .EndObject()
      .EndObject();
  std::string sort_what =
      what == "process_name" ? "process_sort_index" : "thread_sort_index";
  json.BeginObject()
      .Key("ph").String("M")
      .Key("name").String(sort_what)
      .Key("pid").Int(pid)
      .Key("tid").Int(tid)
      .Key("args").BeginObject()
          .Key("sort_index").Int(sort_index)
      .EndObject()
      .EndObject();
}

void Counter(JsonWriter& json, int64_t pid, const std::string& name, int64_t ps,
             std::string_view key, double value) {
  json.BeginObject()
      .Key("ph").String("C")
      .Key("name").String(name)
      .Key("pid").Int(pid)
      .Key("tid").Int(0)
      .Key("ts").Number(Micros(ps))
      .Key("args").BeginObject()
          .Key(key).Number(value)
      .EndObject()
      .EndObject();
}

void WriteOps(JsonWriter& json, const RunRecord& r) {
  std::set<int32_t> chips;
  std::set<std::pair<int32_t, int64_t>> threads;
  for (const OpRecord& op : r.ops) {
    chips.insert(op.chip);
    threads.insert({op.chip, ThreadId(op)});
  }
  for (int32_t chip : chips) {
    Metadata(json, "process_name", chip, 0, "name", "chip " + std::to_string(chip), chip);
  }
  for (const auto& [chip, tid] : threads) {
    std::string name = tid == kLinkThread ? "communication"
                       : tid == 0         ? "all cores"
                                          : "core " + std::to_string(tid - 1);
    Metadata(json, "thread_name", chip, tid, "name", name, tid);
  }
  for (const OpRecord& op : r.ops) {
    json.BeginObject()
        .Key("ph").String("X")
        .Key("name").String(op.name)
        .Key("cat").String(op.kind)
        .Key("pid").Int(op.chip)
        .Key("tid").Int(ThreadId(op))
        .Key("ts").Number(Micros(op.start_ps))
        .Key("dur").Number(Micros(op.end_ps - op.start_ps))
        .Key("args").BeginObject()
            .Key("op_index").Int(op.op_index)
            .Key("kind").String(op.kind)
            .Key("layer").Int(op.layer)
            .Key("flops").Number(op.flops)
            .Key("bytes").Number(op.bytes)
            .Key("bound").String(op.bound)
            .Key("engine").String(op.engine)
        .EndObject()
        .EndObject();
  }
}

// Counter tracks live in their own process placed after the chips.
void WriteTimeline(JsonWriter& json, const RunRecord& r) {
  if (r.timeline.empty()) return;
  int64_t pid = 0;
  for (const OpRecord& op : r.ops) pid = std::max<int64_t>(pid, int64_t{op.chip} + 1);
  Metadata(json, "process_name", pid, 0, "name", "timeline", pid);

  std::map<std::string, std::vector<const TimelineRecord*>> by_component;
  for (const TimelineRecord& t : r.timeline) by_component[t.component].push_back(&t);
  for (auto& [component, intervals] : by_component) {
    std::sort(intervals.begin(), intervals.end(),
              [](const TimelineRecord* a, const TimelineRecord* b) {
                return a->start_ps < b->start_ps;
              });
    bool has_bytes = std::any_of(intervals.begin(), intervals.end(),
                                 [](const TimelineRecord* t) { return t->bytes > 0; });
    std::string busy = component + " busy";
    std::string bandwidth = component + " GB/s";
    for (size_t i = 0; i < intervals.size(); ++i) {
      const TimelineRecord& t = *intervals[i];
      Counter(json, pid, busy, t.start_ps, "fraction", t.busy_fraction);
      int64_t length = t.end_ps - t.start_ps;
      // bytes per ps * 1e12 / 1e9 = GB/s.
      double gb_per_s = length > 0 ? t.bytes / static_cast<double>(length) * 1e3 : 0;
      if (has_bytes) Counter(json, pid, bandwidth, t.start_ps, "GB/s", gb_per_s);
      bool gap_follows =
          i + 1 == intervals.size() || intervals[i + 1]->start_ps > t.end_ps;
      if (gap_follows) {
        Counter(json, pid, busy, t.end_ps, "fraction", 0);
        if (has_bytes) Counter(json, pid, bandwidth, t.end_ps, "GB/s", 0);
      }
    }
  }
}

// clang-format on

}  // namespace

std::string PerfettoTraceJson(const StoredRun& run) {
  const RunRecord& r = run.record;
  JsonWriter json;
  json.BeginObject();
  json.Key("displayTimeUnit").String("ns");
  // clang-format off
  json.Key("otherData").BeginObject()
      .Key("run_id").Int(run.id)
      .Key("created").String(run.created)
      .Key("system").String(r.system_name)
      .Key("workload").String(r.workload)
      .Key("config_hash").String(r.config_hash)
      .Key("dsasim_version").String(r.dsasim_version)
      .EndObject();
  // clang-format on
  json.Key("traceEvents").BeginArray();
  WriteOps(json, r);
  WriteTimeline(json, r);
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace dsasim::store
