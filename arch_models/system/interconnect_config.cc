#include "arch_models/system/interconnect_config.h"

#include <set>

#include "sim/error.h"
#include "sim/field_ranges.h"
#include "sim/units.h"

namespace dsasim::arch {
namespace {

// Every error names the origin and the field's --set path.
class Fields {
 public:
  explicit Fields(const std::string& origin) : origin_(origin) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& why) const {
    throw ConfigError(origin_ + ": " + path + ": " + why);
  }
  template <typename F>
  auto Parse(const std::string& path, const std::string& text, F parse) const {
    try {
      return parse(text);
    } catch (const UnitError& e) {
      Fail(path, e.what());
    }
  }
  double Bandwidth(const std::string& path, const std::string& text) const {
    if (text.empty()) Fail(path, "missing (a bandwidth such as \"25GB/s\" is required)");
    return Parse(path, text, [](const std::string& t) { return ParseBandwidth(t); });
  }
  Tick Duration(const std::string& path, const std::string& text) const {
    if (text.empty()) return Tick();
    return Parse(path, text, [](const std::string& t) { return ParseDuration(t); });
  }
  double Bytes(const std::string& path, const std::string& text) const {
    return Parse(path, text, [](const std::string& t) { return ParseBytes(t); });
  }

 private:
  std::string origin_;
};

LinkParams ParseLink(const v1::LinkSpec& spec, const std::string& path, const Fields& f) {
  LinkParams link;
  link.bandwidth = f.Bandwidth(path + ".bandwidth", spec.bandwidth()) *
                   (spec.has_count() ? spec.count() : 1);
  link.latency = f.Duration(path + ".latency", spec.latency());
  link.message_overhead = f.Duration(path + ".message_overhead", spec.message_overhead());
  link.payload_efficiency = spec.has_payload_efficiency() ? spec.payload_efficiency() : 1;
  return link;
}

std::string Name(v1::LinkTopology t) { return v1::LinkTopology_Name(t); }

void CheckShape(const v1::InterconnectSpec& spec, InterconnectConfig& c,
                const Fields& f) {
  const std::string chips = std::to_string(c.chips);
  if (c.topology == v1::LINK_TWO_LEVEL) {
    if (!spec.has_chips_per_node()) {
      f.Fail("interconnect.chips_per_node", "required for LINK_TWO_LEVEL");
    }
    c.chips_per_node = spec.chips_per_node();
    if (c.chips % c.chips_per_node != 0) {
      f.Fail("interconnect.chips_per_node",
             std::to_string(c.chips_per_node) + " does not divide chips = " + chips);
    }
    if (!spec.has_scale_out()) {
      f.Fail("interconnect.scale_out", "required for LINK_TWO_LEVEL (each chip's NIC)");
    }
  } else {
    if (spec.has_chips_per_node() && spec.chips_per_node() != c.chips) {
      f.Fail("interconnect.chips_per_node",
             "only LINK_TWO_LEVEL has several nodes; here it must be chips = " + chips +
                 " or unset");
    }
    if (spec.has_scale_out()) {
      f.Fail("interconnect.scale_out", "only LINK_TWO_LEVEL has a scale-out network");
    }
    c.chips_per_node = c.chips;
  }
  c.nodes = c.chips / c.chips_per_node;

  if (c.IsTorus()) {
    const int axes = c.topology == v1::LINK_TORUS_2D ? 2 : 3;
    if (spec.dims_size() != axes) {
      f.Fail("interconnect.dims", Name(c.topology) + " needs " + std::to_string(axes) +
                                      " entries, got " +
                                      std::to_string(spec.dims_size()));
    }
    int64_t product = 1;
    for (int d : spec.dims()) product *= d;
    if (product != c.chips) {
      f.Fail("interconnect.dims",
             "their product " + std::to_string(product) + " must equal chips = " + chips);
    }
    c.dims.assign(spec.dims().begin(), spec.dims().end());
    if (spec.wraparound_size() != 0 && spec.wraparound_size() != spec.dims_size()) {
      f.Fail("interconnect.wraparound",
             "one entry per dims entry (" + std::to_string(spec.dims_size()) + "), got " +
                 std::to_string(spec.wraparound_size()) + "; empty = every axis wraps");
    }
    c.wraparound.assign(c.dims.size(), true);
    for (int i = 0; i < spec.wraparound_size(); ++i) c.wraparound[i] = spec.wraparound(i);
  } else {
    if (spec.dims_size() != 0) f.Fail("interconnect.dims", "only a torus has dims");
    if (spec.wraparound_size() != 0) {
      f.Fail("interconnect.wraparound", "only a torus has wraparound");
    }
  }
  if (c.switch_reduction && !c.IsSwitched()) {
    f.Fail("interconnect.switch_reduction",
           "needs a switch (LINK_SWITCH or LINK_TWO_LEVEL), not " + Name(c.topology));
  }
  if (!spec.switch_latency().empty() && !c.IsSwitched()) {
    f.Fail("interconnect.switch_latency", "only switch topologies have a switch");
  }
}

void ParseProtocols(const v1::InterconnectSpec& spec, InterconnectConfig& c,
                    const Fields& f) {
  std::set<std::string> names;
  for (int i = 0; i < spec.collective_protocols_size(); ++i) {
    const v1::CollectiveProtocol& p = spec.collective_protocols(i);
    const std::string path =
        "interconnect.collective_protocols[" + std::to_string(i) + "]";
    if (!names.insert(p.name()).second) {
      f.Fail(path + ".name", "'" + p.name() + "' is given twice");
    }
    c.protocols.push_back({p.name(), f.Duration(path + ".step_latency", p.step_latency()),
                           p.has_efficiency() ? p.efficiency() : 1.0});
  }
  if (c.protocols.empty()) c.protocols.push_back({"default", Tick(), 1.0});
}

}  // namespace

int InterconnectConfig::PortDirections() const {
  switch (topology) {
    case v1::LINK_RING:
      return 2;
    case v1::LINK_TORUS_2D:
      return 4;
    case v1::LINK_TORUS_3D:
      return 6;
    case v1::LINK_FULLY_CONNECTED:
      return chips > 1 ? chips - 1 : 1;
    default:
      return 1;
  }
}

double InterconnectConfig::PortBandwidth() const {
  return link.bandwidth * links_per_chip / PortDirections();
}

bool AlgorithmValid(const InterconnectConfig& c, v1::CollectiveKind kind,
                    v1::CollectiveAlgorithm algorithm) {
  const bool reduce_or_gather = kind == v1::COLLECTIVE_ALL_REDUCE ||
                                kind == v1::COLLECTIVE_ALL_GATHER ||
                                kind == v1::COLLECTIVE_REDUCE_SCATTER;
  switch (algorithm) {
    case v1::COLLECTIVE_ALGORITHM_AUTO:
    case v1::COLLECTIVE_ALGORITHM_DIRECT:
      return true;
    case v1::COLLECTIVE_ALGORITHM_RING:
    case v1::COLLECTIVE_ALGORITHM_BIDIRECTIONAL_RING:
      return reduce_or_gather || kind == v1::COLLECTIVE_BROADCAST;
    case v1::COLLECTIVE_ALGORITHM_TREE:
      return kind == v1::COLLECTIVE_ALL_REDUCE || kind == v1::COLLECTIVE_BROADCAST;
    case v1::COLLECTIVE_ALGORITHM_HIERARCHICAL:
      return reduce_or_gather && (c.topology == v1::LINK_TWO_LEVEL || c.IsTorus());
    case v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE:
      return kind == v1::COLLECTIVE_ALL_REDUCE && c.IsSwitched() && c.switch_reduction;
    default:
      return false;
  }
}

InterconnectConfig ParseInterconnect(const v1::System& system,
                                     const std::string& origin) {
  CheckFieldRanges(system, origin);
  const Fields f(origin);
  const v1::InterconnectSpec& spec = system.interconnect();
  InterconnectConfig c;
  c.chips = system.has_chips() ? system.chips() : 1;
  c.topology = spec.topology();
  if (spec.has_host()) c.host = ParseLink(spec.host(), "interconnect.host", f);
  c.collective_launch =
      f.Duration("interconnect.collective_launch", spec.collective_launch());
  c.engine = spec.collective_engine();
  ParseProtocols(spec, c, f);
  if (c.chips == 1 && c.topology == v1::LINK_TOPOLOGY_UNSPECIFIED) return c;

  if (c.topology == v1::LINK_TOPOLOGY_UNSPECIFIED) {
    f.Fail("interconnect.topology",
           "required when chips > 1 (chips = " + std::to_string(c.chips) + ")");
  }
  c.link.bandwidth = f.Bandwidth("interconnect.link_bandwidth", spec.link_bandwidth());
  c.link.latency = f.Duration("interconnect.link_latency", spec.link_latency());
  c.link.message_overhead =
      f.Duration("interconnect.message_overhead", spec.message_overhead());
  c.link.payload_efficiency =
      spec.has_payload_efficiency() ? spec.payload_efficiency() : 1;
  c.links_per_chip = spec.has_links_per_chip() ? spec.links_per_chip() : 1;
  c.switch_latency = f.Duration("interconnect.switch_latency", spec.switch_latency());
  c.switch_reduction = spec.switch_reduction();
  CheckShape(spec, c, f);
  if (spec.has_scale_out())
    c.scale_out = ParseLink(spec.scale_out(), "interconnect.scale_out", f);

  for (int i = 0; i < spec.collective_rules_size(); ++i) {
    const v1::CollectiveRule& r = spec.collective_rules(i);
    const std::string path = "interconnect.collective_rules[" + std::to_string(i) + "]";
    if (r.kind() == v1::COLLECTIVE_KIND_UNSPECIFIED) f.Fail(path + ".kind", "required");
    CollectiveRuleParams rule{r.kind(), std::numeric_limits<double>::infinity(),
                              r.algorithm()};
    if (!r.max_bytes().empty())
      rule.max_bytes = f.Bytes(path + ".max_bytes", r.max_bytes());
    if (!AlgorithmValid(c, r.kind(), r.algorithm())) {
      f.Fail(path + ".algorithm",
             v1::CollectiveAlgorithm_Name(r.algorithm()) + " cannot run " +
                 v1::CollectiveKind_Name(r.kind()) + " on " + Name(c.topology) +
                 (r.algorithm() == v1::COLLECTIVE_ALGORITHM_SWITCH_REDUCE
                      ? " without switch_reduction"
                      : "") +
                 " (docs/multi_chip.md lists what each algorithm runs)");
    }
    c.rules.push_back(rule);
  }

  return c;
}

}  // namespace dsasim::arch
