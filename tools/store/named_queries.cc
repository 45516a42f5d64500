#include "tools/store/named_queries.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <tuple>

#include "sim/error.h"

namespace dsasim::store {
namespace {

void RequireRun(const ResultStore& store, int64_t run_id) {
  QueryResult r = store.Query("SELECT 1 FROM runs WHERE id = ?1", {run_id});
  if (r.rows.empty()) {
    throw ConfigError(store.path().string() + ": no run " + std::to_string(run_id) +
                      " (see 'dsasim query runs')");
  }
}

// One run's values on the two Pareto axes.
struct MetricPoint {
  int64_t run_id;
  double x;
  double y;
};

}  // namespace

int64_t ResolveRunId(const ResultStore& store, std::string_view spec) {
  if (spec == "latest") {
    std::optional<int64_t> latest = store.LatestRunId();
    if (!latest) throw ConfigError(store.path().string() + ": holds no runs yet");
    return *latest;
  }
  int64_t id = 0;
  auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), id);
  if (ec != std::errc() || end != spec.data() + spec.size() || id <= 0) {
    throw ConfigError("--run '" + std::string(spec) +
                      "' is neither a run id (a positive integer) nor 'latest'");
  }
  RequireRun(store, id);
  return id;
}

QueryResult RunsQuery(const ResultStore& store) {
  return store.Query(
      "SELECT id, created, system_name AS system, workload, config_hash, seed, "
      "wall_seconds AS wall_s, event_count AS events, "
      "(SELECT count(*) FROM ops WHERE ops.run_id = runs.id) AS ops "
      "FROM runs ORDER BY id");
}

QueryResult MetricsQuery(const ResultStore& store, int64_t run_id) {
  RequireRun(store, run_id);
  return store.Query(
      "SELECT name, value, unit FROM metrics WHERE run_id = ?1 ORDER BY name", {run_id});
}

QueryResult UtilizationQuery(const ResultStore& store, int64_t run_id) {
  RequireRun(store, run_id);
  return store.Query(
      "WITH span AS (SELECT max(end_ps) - min(start_ps) AS ps FROM timeline "
      "              WHERE run_id = ?1) "
      "SELECT component, "
      "  sum(busy_fraction * (end_ps - start_ps)) / nullif((SELECT ps FROM span), 0) "
      "    AS busy_fraction, "
      "  sum(busy_fraction * (end_ps - start_ps)) / 1e12 AS busy_s, "
      "  sum(bytes) AS bytes, "
      "  sum(bytes) / nullif((SELECT ps FROM span), 0) * 1e12 / 1e9 AS GB_per_s "
      "FROM timeline WHERE run_id = ?1 GROUP BY component "
      "ORDER BY busy_fraction DESC, component",
      {run_id});
}

QueryResult BottlenecksQuery(const ResultStore& store, int64_t run_id) {
  RequireRun(store, run_id);
  return store.Query(
      "SELECT bound, kind, count(*) AS ops, sum(end_ps - start_ps) / 1e12 AS time_s, "
      "  1.0 * sum(end_ps - start_ps) / nullif((SELECT sum(end_ps - start_ps) FROM ops "
      "                                         WHERE run_id = ?1), 0) AS share "
      "FROM ops WHERE run_id = ?1 GROUP BY bound, kind "
      "ORDER BY time_s DESC, bound, kind",
      {run_id});
}

QueryResult OpBreakdownQuery(const ResultStore& store, int64_t run_id) {
  RequireRun(store, run_id);
  return store.Query(
      "SELECT kind, count(*) AS count, sum(end_ps - start_ps) / 1e12 AS time_s, "
      "  sum(flops) AS flops, sum(bytes) AS bytes, "
      "  sum(flops) / nullif(sum(end_ps - start_ps), 0) AS TFLOP_per_s, "
      "  sum(flops) / nullif(sum(bytes), 0) AS flop_per_byte "
      "FROM ops WHERE run_id = ?1 GROUP BY kind ORDER BY time_s DESC, kind",
      {run_id});
}

QueryResult CompareQuery(const ResultStore& store, int64_t run_a, int64_t run_b) {
  RequireRun(store, run_a);
  RequireRun(store, run_b);
  // Ids are integers, so naming the columns after them is safe to splice.
  std::string a = "run_" + std::to_string(run_a);
  std::string b = "run_" + std::to_string(run_b);
  QueryResult metrics = store.Query(
      "WITH names AS (SELECT name FROM metrics WHERE run_id IN (?1, ?2) GROUP BY name) "
      "SELECT n.name AS name, coalesce(a.unit, b.unit) AS unit, a.value AS \"" +
          a + "\", b.value AS \"" + b +
          "\", b.value / nullif(a.value, 0) AS ratio "
          "FROM names n "
          "LEFT JOIN metrics a ON a.run_id = ?1 AND a.name = n.name "
          "LEFT JOIN metrics b ON b.run_id = ?2 AND b.name = n.name "
          "ORDER BY n.name",
      {run_a, run_b});
  // What each run is, as the first rows, so that the columns named by id
  // can be read without a second query.
  QueryResult what = store.Query(
      "SELECT a.system_name, b.system_name, a.workload, b.workload "
      "FROM runs a, runs b WHERE a.id = ?1 AND b.id = ?2",
      {run_a, run_b});
  const std::vector<SqlCell>& w = what.rows.at(0);
  metrics.rows.insert(metrics.rows.begin(),
                      {{TextCell("system"), SqlCell{}, w[0], w[1], SqlCell{}},
                       {TextCell("workload"), SqlCell{}, w[2], w[3], SqlCell{}}});
  return metrics;
}

QueryResult ParetoQuery(const ResultStore& store, const ParetoAxes& axes) {
  QueryResult both = store.Query(
      "SELECT r.id, x.value, y.value FROM runs r "
      "JOIN metrics x ON x.run_id = r.id AND x.name = ?1 "
      "JOIN metrics y ON y.run_id = r.id AND y.name = ?2 "
      "WHERE x.value IS NOT NULL AND y.value IS NOT NULL",
      {axes.x_metric, axes.y_metric});
  if (both.rows.empty()) {
    QueryResult names = store.Query("SELECT DISTINCT name FROM metrics ORDER BY name");
    std::string known;
    for (const auto& row : names.rows) {
      if (!known.empty()) known += ", ";
      known += row[0].text;
    }
    throw ConfigError(store.path().string() + ": no run has both metrics '" +
                      axes.x_metric + "' and '" + axes.y_metric +
                      "' (metrics present: " + (known.empty() ? "none" : known) + ")");
  }
  // Orient both axes so that smaller is better, then sweep in x order: a
  // point is on the front when its y beats every point with a smaller x, and
  // it is the smallest y among points with the same x.
  std::vector<MetricPoint> points;
  for (const auto& row : both.rows) {
    double x = std::stod(row[1].text);
    double y = std::stod(row[2].text);
    points.push_back(
        {std::stoll(row[0].text), axes.maximize_x ? -x : x, axes.maximize_y ? -y : y});
  }
  std::sort(points.begin(), points.end(), [](const MetricPoint& p, const MetricPoint& q) {
    return std::tie(p.x, p.y, p.run_id) < std::tie(q.x, q.y, q.run_id);
  });
  std::vector<MetricPoint> front;
  double best_y = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < points.size();) {
    size_t j = i;
    double group_min = points[i].y;  // sorted, so the group's first y is its min
    while (j < points.size() && points[j].x == points[i].x) {
      if (points[j].y == group_min && group_min < best_y) front.push_back(points[j]);
      ++j;
    }
    best_y = std::min(best_y, group_min);
    i = j;
  }

  QueryResult out;
  out.columns = {"id", "system", "workload", axes.x_metric, axes.y_metric};
  for (const MetricPoint& p : front) {
    QueryResult run =
        store.Query("SELECT system_name, workload FROM runs WHERE id = ?1", {p.run_id});
    out.rows.push_back({IntegerCell(p.run_id), run.rows[0][0], run.rows[0][1],
                        RealCell(axes.maximize_x ? -p.x : p.x),
                        RealCell(axes.maximize_y ? -p.y : p.y)});
  }
  return out;
}

}  // namespace dsasim::store
