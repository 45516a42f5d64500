// ResultStore::WriteRun: one run, one transaction, one prepared statement
// per table reused for every row. Kept apart from result_store.cc because
// it is the only hot path in the store.
#include <string>

#include "sim/error.h"
#include "tools/store/result_store.h"

namespace dsasim::store {
namespace {

// Counts rows across tables and calls the progress hook every N of them.
class RowCounter {
 public:
  explicit RowCounter(const WriteProgress* progress) : progress_(progress) {}

  void Add() {
    ++rows_;
    if (progress_ != nullptr && progress_->on_rows && progress_->every_rows > 0 &&
        rows_ % progress_->every_rows == 0) {
      progress_->on_rows(rows_);
    }
  }

 private:
  const WriteProgress* progress_;
  int64_t rows_ = 0;
};

// Adds which row failed to SQLite's message ("CHECK constraint failed").
[[noreturn]] void RethrowFor(const ConfigError& e, const std::string& row) {
  throw ConfigError(std::string(e.what()) + " (writing " + row + ")");
}

}  // namespace

int64_t ResultStore::WriteRun(const RunRecord& r, const WriteProgress* progress) {
  if (mode_ != Mode::kReadWrite) {
    throw ConfigError(path().string() + ": opened read-only, cannot write a run");
  }
  SqliteTransaction transaction(db_);
  RowCounter counter(progress);

  SqliteStatement run = db_.Prepare(
      "INSERT INTO runs (created, system_name, system_text, workload, parameters, "
      "config_hash, dsasim_version, seed, wall_seconds, event_count) VALUES "
      "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  run.Bind(1, r.system_name);
  run.Bind(2, r.system_text);
  run.Bind(3, r.workload);
  run.Bind(4, r.parameters_json.empty() ? std::string_view("{}")
                                        : std::string_view(r.parameters_json));
  run.Bind(5, r.config_hash);
  run.Bind(6, r.dsasim_version);
  // SQLite integers are signed 64-bit: a seed above 2^63 is stored as its
  // two's-complement value and read back exactly.
  run.Bind(7, static_cast<int64_t>(r.seed));
  run.Bind(8, r.wall_seconds);
  run.Bind(9, static_cast<int64_t>(r.event_count));
  try {
    run.Step();
  } catch (const ConfigError& e) {
    RethrowFor(e, "the runs row of '" + r.system_name + "'");
  }
  const int64_t id = db_.LastInsertRowId();

  SqliteStatement metric = db_.Prepare(
      "INSERT INTO metrics (run_id, name, value, unit) VALUES (?1, ?2, ?3, ?4)");
  for (const MetricRecord& m : r.metrics) {
    metric.Reset();
    metric.Bind(1, id);
    metric.Bind(2, m.name);
    metric.Bind(3, m.value);
    metric.Bind(4, m.unit);
    try {
      metric.Step();
    } catch (const ConfigError& e) {
      RethrowFor(e, "metric '" + m.name + "'");
    }
    counter.Add();
  }

  SqliteStatement op = db_.Prepare(
      "INSERT INTO ops (run_id, op_index, name, kind, layer, chip, core, start_ps, "
      "end_ps, flops, bytes, engine, bound, lowering) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  for (const OpRecord& o : r.ops) {
    op.Reset();
    op.Bind(1, id);
    op.Bind(2, o.op_index);
    op.Bind(3, o.name);
    op.Bind(4, o.kind);
    op.Bind(5, int64_t{o.layer});
    op.Bind(6, int64_t{o.chip});
    op.Bind(7, int64_t{o.core});
    op.Bind(8, o.start_ps);
    op.Bind(9, o.end_ps);
    op.Bind(10, o.flops);
    op.Bind(11, o.bytes);
    op.Bind(12, o.engine);
    op.Bind(13, o.bound);
    if (o.lowering.empty()) {
      op.BindNull(14);
    } else {
      op.Bind(14, o.lowering);
    }
    try {
      op.Step();
    } catch (const ConfigError& e) {
      RethrowFor(e, "op " + std::to_string(o.op_index) + " '" + o.name + "'");
    }
    counter.Add();
  }

  SqliteStatement interval = db_.Prepare(
      "INSERT INTO timeline (run_id, component, start_ps, end_ps, busy_fraction, bytes, "
      "chip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const TimelineRecord& t : r.timeline) {
    interval.Reset();
    interval.Bind(1, id);
    interval.Bind(2, t.component);
    interval.Bind(3, t.start_ps);
    interval.Bind(4, t.end_ps);
    interval.Bind(5, t.busy_fraction);
    interval.Bind(6, t.bytes);
    interval.Bind(7, static_cast<int64_t>(t.chip));
    try {
      interval.Step();
    } catch (const ConfigError& e) {
      RethrowFor(e, "timeline interval of '" + t.component + "' at " +
                        std::to_string(t.start_ps) + " ps");
    }
    counter.Add();
  }

  SqliteStatement request = db_.Prepare(
      "INSERT INTO requests (run_id, request_id, arrival_s, first_token_s, finish_s, "
      "input_tokens, output_tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const RequestRecord& q : r.requests) {
    request.Reset();
    request.Bind(1, id);
    request.Bind(2, q.request_id);
    request.Bind(3, q.arrival_s);
    request.Bind(4, q.first_token_s);
    request.Bind(5, q.finish_s);
    request.Bind(6, q.input_tokens);
    request.Bind(7, q.output_tokens);
    try {
      request.Step();
    } catch (const ConfigError& e) {
      RethrowFor(e, "request " + std::to_string(q.request_id));
    }
    counter.Add();
  }

  transaction.Commit();
  return id;
}

}  // namespace dsasim::store
