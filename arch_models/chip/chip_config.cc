#include "arch_models/chip/chip_config.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "sim/error.h"
#include "sim/field_ranges.h"
#include "sim/units.h"

namespace dsasim::arch {
namespace {

// Wraps field-level parsing so every error names origin and field path.
class FieldParser {
 public:
  explicit FieldParser(std::string_view origin) : origin_(origin) {}

  [[noreturn]] void Fail(std::string_view path, std::string_view why) const {
    throw ConfigError(origin_ + ": " + std::string(path) + ": " + std::string(why));
  }

  template <typename F>
  auto Unit(std::string_view path, const std::string& text, F parse,
            bool required = true) const -> decltype(parse(text)) {
    if (text.empty()) {
      if (required) Fail(path, "missing (a value with a unit is required)");
      return decltype(parse(text)){};
    }
    try {
      return parse(text);
    } catch (const UnitError& e) {
      Fail(path, e.what());
    }
  }

  double Frequency(std::string_view path, const std::string& text,
                   bool required = true) const {
    return Unit(
        path, text, [](const std::string& t) { return ParseFrequency(t); }, required);
  }
  double Bandwidth(std::string_view path, const std::string& text,
                   bool required = true) const {
    return Unit(
        path, text, [](const std::string& t) { return ParseBandwidth(t); }, required);
  }
  double Bytes(std::string_view path, const std::string& text,
               bool required = true) const {
    return Unit(
        path, text, [](const std::string& t) { return ParseBytes(t); }, required);
  }
  double BitRate(std::string_view path, const std::string& text,
                 bool required = true) const {
    return Unit(
        path, text, [](const std::string& t) { return ParseBitRate(t); }, required);
  }
  Tick Duration(std::string_view path, const std::string& text,
                bool required = true) const {
    return Unit(
        path, text, [](const std::string& t) { return ParseDuration(t); }, required);
  }
  // For fields whose declared range allows 0 (unset) but whose use here
  // needs a value.
  void Positive(std::string_view path, int64_t value) const {
    if (value <= 0) Fail(path, "must be > 0, got " + std::to_string(value));
  }

 private:
  std::string origin_;
};

TensorEngineConfig ParseTensor(const v1::TensorEngineSpec& spec, const FieldParser& p) {
  TensorEngineConfig t;
  switch (spec.kind_case()) {
    case v1::TensorEngineSpec::kSystolic:
      t.kind = TensorEngineConfig::Kind::kSystolic;
      t.rows = spec.systolic().rows();
      t.cols = spec.systolic().cols();
      t.dataflow = spec.systolic().dataflow();
      if (t.dataflow == v1::DATAFLOW_UNSPECIFIED) {
        p.Fail("chip.core.tensor_engine.systolic.dataflow", "missing");
      }
      break;
    case v1::TensorEngineSpec::kMma:
      t.kind = TensorEngineConfig::Kind::kMma;
      t.flops_per_cycle = spec.mma().flops_per_cycle();
      t.units = spec.mma().units();
      t.min_m = spec.mma().min_m();
      t.min_n = spec.mma().min_n();
      t.min_k = spec.mma().min_k();
      t.efficiency = spec.mma().has_efficiency() ? spec.mma().efficiency() : 1.0;
      break;
    default:
      p.Fail("chip.core.tensor_engine", "set either systolic { } or mma { }");
  }
  t.count = spec.has_count() ? spec.count() : 1;
  for (const auto& r : spec.rates()) {
    if (r.dtype() == v1::DTYPE_UNSPECIFIED) {
      p.Fail("chip.core.tensor_engine.rates", "each rate needs a dtype");
    }
    t.rates[r.dtype()] = r.multiplier();
  }
  if (t.rates.empty()) t.rates[v1::DTYPE_BF16] = 1.0;
  t.transposed_operands = spec.transposed_operands();
  return t;
}

VectorEngineConfig ParseVector(const v1::VectorEngineSpec& spec, double core_hz,
                               std::string_view path, const FieldParser& p) {
  VectorEngineConfig v;
  v.lanes = spec.lanes();
  v.hz = spec.clock().empty() ? core_hz
                              : p.Frequency(std::string(path) + ".clock", spec.clock());
  v.instruction_overhead_cycles = spec.instruction_overhead_cycles();
  for (const auto& c : spec.op_costs())
    v.op_costs.emplace_back(c.op(), c.cycles_per_vector());
  return v;
}

// The cache mode of an SRAM of `capacity` bytes at `path`.
SramCacheConfig ParseCache(v1::SramMode mode, bool has_cache, const v1::CacheSpec& spec,
                           const std::string& path, double capacity,
                           const FieldParser& p) {
  SramCacheConfig cache;
  if (mode != v1::SRAM_MODE_CACHE) {
    // A cache organisation the run would ignore is a mistake to report.
    if (has_cache)
      p.Fail(path + ".cache", "is set but " + path + ".mode is not SRAM_MODE_CACHE");
    return cache;
  }
  cache.enabled = true;
  if (spec.has_ways()) cache.ways = spec.ways();
  if (!spec.line_size().empty()) {
    double line = p.Bytes(path + ".cache.line_size", spec.line_size());
    if (!(line >= 16) || std::fmod(line, 16.0) != 0) {
      p.Fail(path + ".cache.line_size",
             "must be a positive multiple of 16 B, got '" + spec.line_size() + "'");
    }
    cache.line_bytes = static_cast<int64_t>(line);
  }
  if (capacity < static_cast<double>(cache.ways * cache.line_bytes)) {
    p.Fail(path + ".cache", "the capacity does not hold one set of " +
                                std::to_string(cache.ways) + " lines of " +
                                std::to_string(cache.line_bytes) + " B");
  }
  return cache;
}

std::string RouterText(int x, int y) {
  return "(" + std::to_string(x) + ", " + std::to_string(y) + ")";
}

// The routers of one NocAttachSpec, as router indices: a placement rule's
// routers row-major, a list's in the order given.
std::vector<int> ParseAttachment(const v1::NocAttachSpec& spec, bool present,
                                 const std::string& path, int width, int height,
                                 std::string_view what, const FieldParser& p) {
  const bool has_rule = spec.placement() != v1::NOC_PLACEMENT_UNSPECIFIED;
  if (!present || (!has_rule && spec.routers().empty())) {
    p.Fail(path, "missing: set placement or routers (where " + std::string(what) +
                     " attaches to the grid)");
  }
  if (has_rule && !spec.routers().empty()) {
    p.Fail(path, "set placement or routers, not both");
  }
  std::vector<int> routers;
  for (int y = 0; has_rule && y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      bool on = false;
      switch (spec.placement()) {
        case v1::NOC_PLACEMENT_EDGE_COLUMNS:
          on = x == 0 || x == width - 1;
          break;
        case v1::NOC_PLACEMENT_LEFT_COLUMN:
          on = x == 0;
          break;
        case v1::NOC_PLACEMENT_EDGE_ROWS:
          on = y == 0 || y == height - 1;
          break;
        case v1::NOC_PLACEMENT_SPLIT_COLUMNS:
          on = x == 0 || x == width / 2;
          break;
        default:
          p.Fail(path + ".placement",
                 v1::NocPlacement_Name(spec.placement()) + " is not a placement rule");
      }
      if (on) routers.push_back(y * width + x);
    }
  }
  for (const v1::NocRouter& r : spec.routers()) {
    if (r.x() < 0 || r.x() >= width || r.y() < 0 || r.y() >= height) {
      p.Fail(path + ".routers", RouterText(r.x(), r.y()) + " is off the " +
                                    std::to_string(width) + " × " +
                                    std::to_string(height) + " grid");
    }
    const int router = r.y() * width + r.x();
    if (std::find(routers.begin(), routers.end(), router) != routers.end()) {
      p.Fail(path + ".routers", RouterText(r.x(), r.y()) + " is listed twice");
    }
    routers.push_back(router);
  }
  return routers;
}

// REQUIRES: chip.cores, chip.hbm and chip.shared_sram parsed.
NocConfig ParseNoc(const v1::NocSpec& n, const ChipConfig& chip, const FieldParser& p) {
  NocConfig noc;
  noc.kind = n.kind() == v1::NOC_KIND_UNSPECIFIED ? v1::NOC_CROSSBAR : n.kind();
  noc.port_bandwidth = p.Bandwidth("chip.noc.port_bandwidth", n.port_bandwidth());
  noc.hop_latency = p.Duration("chip.noc.hop_latency", n.hop_latency(), false);
  if (!noc.routed()) {
    // The grid fields mean nothing to a crossbar: setting one is a mistake
    // (a forgotten kind), not something to ignore.
    const std::pair<const char*, bool> grid_fields[] = {
        {"width", n.width() != 0},
        {"height", n.height() != 0},
        {"endpoint_bandwidth", !n.endpoint_bandwidth().empty()},
        {"endpoint_latency", !n.endpoint_latency().empty()},
        {"memory", n.has_memory()},
        {"shared_sram", n.has_shared_sram()}};
    for (const auto& [field, set] : grid_fields) {
      if (set) {
        p.Fail(std::string("chip.noc.") + field,
               "is only used by NOC_MESH and NOC_TORUS, but kind is " +
                   v1::NocKind_Name(noc.kind));
      }
    }
    return noc;
  }

  noc.width = n.width();
  noc.height = n.height();
  p.Positive("chip.noc.width", noc.width);
  p.Positive("chip.noc.height", noc.height);
  if (noc.width * noc.height != chip.cores) {
    p.Fail("chip.noc.width", "width × height = " + std::to_string(noc.width) + " × " +
                                 std::to_string(noc.height) + " = " +
                                 std::to_string(noc.width * noc.height) +
                                 " routers, but chip.cores is " +
                                 std::to_string(chip.cores) + " (one core per router)");
  }
  noc.endpoint_bandwidth =
      n.endpoint_bandwidth().empty()
          ? noc.port_bandwidth
          : p.Bandwidth("chip.noc.endpoint_bandwidth", n.endpoint_bandwidth());
  noc.endpoint_latency =
      p.Duration("chip.noc.endpoint_latency", n.endpoint_latency(), false);

  noc.memory_routers = ParseAttachment(n.memory(), n.has_memory(), "chip.noc.memory",
                                       noc.width, noc.height, "HBM", p);
  const int ports = static_cast<int>(noc.memory_routers.size());
  if (ports > chip.hbm.channels()) {
    p.Fail("chip.noc.memory", std::to_string(ports) + " memory ports but chip.hbm has " +
                                  std::to_string(chip.hbm.channels()) +
                                  " channels: each port must serve at least one channel");
  }
  if (chip.shared_sram.bandwidth > 0) {
    noc.shared_sram_routers =
        ParseAttachment(n.shared_sram(), n.has_shared_sram(), "chip.noc.shared_sram",
                        noc.width, noc.height, "the shared SRAM", p);
  } else if (n.has_shared_sram()) {
    p.Fail("chip.noc.shared_sram", "is set, but the chip has no shared_sram");
  }
  return noc;
}

}  // namespace

double TensorEngineConfig::RateFor(v1::DType dtype) const {
  if (auto it = rates.find(dtype); it != rates.end()) return it->second;
  // A type the engine lacks runs after conversion to the widest native
  // 16-bit type (weights are dequantized before the MMA on such parts).
  for (v1::DType fallback : {v1::DTYPE_BF16, v1::DTYPE_FP16}) {
    if (auto it = rates.find(fallback); it != rates.end()) return it->second;
  }
  return rates.begin()->second;
}

double ChipConfig::PeakFlops(v1::DType dtype) const {
  double base = tensor.kind == TensorEngineConfig::Kind::kSystolic
                    ? 2.0 * tensor.rows * tensor.cols
                    : tensor.flops_per_cycle * tensor.units;
  return base * tensor.count * tensor.RateFor(dtype) * core_hz * cores;
}

Tick ChipConfig::LaunchOverhead(std::string_view op_kind) const {
  auto it = op_launch_overheads.find(op_kind);
  return it != op_launch_overheads.end() ? it->second : launch_overhead;
}

double ChipConfig::MemoryEfficiency(std::string_view op_kind) const {
  auto it = op_memory_efficiencies.find(op_kind);
  return it != op_memory_efficiencies.end() ? it->second : 1.0;
}

double ChipConfig::PeakVectorOps() const { return vector.lanes * vector.hz * cores; }

ChipConfig ParseChipConfig(const v1::System& system, std::string_view origin) {
  // Every declared range first: what follows may then divide by a clock or
  // a bandwidth, and an explicit 0 is never mistaken for "use the default".
  CheckFieldRanges(system, origin);
  FieldParser p(origin);
  if (!system.has_chip()) p.Fail("chip", "missing");
  const v1::ChipSpec& c = system.chip();
  ChipConfig chip;
  chip.name = c.name().empty() ? system.name() : c.name();
  chip.cores = c.cores();
  chip.launch_overhead = p.Duration("chip.launch_overhead", c.launch_overhead(), false);
  // The kinds are the Operator oneof's field names: an unknown kind is a
  // typo that would otherwise be silently ignored.
  auto check_kind = [&p](const char* field, const std::string& kind, bool seen) {
    const auto* f = v1::Operator::descriptor()->FindFieldByName(kind);
    if (f == nullptr || f->containing_oneof() == nullptr) {
      p.Fail(field, "'" + kind + "' is not an operator kind");
    }
    if (seen) p.Fail(field, "'" + kind + "' is given twice");
  };
  for (const v1::OpLaunchOverhead& o : c.op_launch_overheads()) {
    check_kind("chip.op_launch_overheads.op_kind", o.op_kind(),
               chip.op_launch_overheads.count(o.op_kind()) > 0);
    chip.op_launch_overheads[o.op_kind()] =
        p.Duration("chip.op_launch_overheads.overhead", o.overhead());
  }
  for (const v1::OpMemoryEfficiency& o : c.op_memory_efficiencies()) {
    check_kind("chip.op_memory_efficiencies.op_kind", o.op_kind(),
               chip.op_memory_efficiencies.count(o.op_kind()) > 0);
    chip.op_memory_efficiencies[o.op_kind()] = o.efficiency();
  }

  const v1::CoreSpec& core = c.core();
  chip.core_hz = p.Frequency("chip.core.clock", core.clock());
  if (!core.has_tensor_engine()) p.Fail("chip.core.tensor_engine", "missing");
  chip.tensor = ParseTensor(core.tensor_engine(), p);
  if (!core.has_vector_engine()) p.Fail("chip.core.vector_engine", "missing");
  chip.vector =
      ParseVector(core.vector_engine(), chip.core_hz, "chip.core.vector_engine", p);
  chip.scalar = core.has_scalar_engine() ? ParseVector(core.scalar_engine(), chip.core_hz,
                                                       "chip.core.scalar_engine", p)
                                         : VectorEngineConfig{1, chip.core_hz, 1, {}};

  const v1::ScratchpadSpec& s = core.scratchpad();
  chip.scratchpad.capacity_bytes = p.Bytes("chip.core.scratchpad.capacity", s.capacity());
  chip.scratchpad.banks = s.has_banks() ? s.banks() : 1;
  chip.scratchpad.read_bandwidth =
      p.Bandwidth("chip.core.scratchpad.read_bandwidth", s.read_bandwidth());
  chip.scratchpad.write_bandwidth =
      p.Bandwidth("chip.core.scratchpad.write_bandwidth", s.write_bandwidth());
  chip.scratchpad.accumulator_bytes = p.Bytes("chip.core.scratchpad.accumulator_capacity",
                                              s.accumulator_capacity(), false);
  chip.scratchpad.cache =
      ParseCache(s.mode(), s.has_cache(), s.cache(), "chip.core.scratchpad",
                 chip.scratchpad.capacity_bytes, p);

  const v1::DmaSpec& d = core.dma();
  chip.dma.engines = d.engines();
  chip.dma.max_outstanding = d.has_max_outstanding() ? d.max_outstanding() : 1;
  chip.dma.setup = p.Duration("chip.core.dma.setup", d.setup(), false);
  chip.dma.bandwidth = p.Bandwidth("chip.core.dma.bandwidth", d.bandwidth());
  for (const auto& cap : d.capabilities()) {
    if (cap.capability() == v1::DMA_CAPABILITY_UNSPECIFIED) {
      p.Fail("chip.core.dma.capabilities.capability", "missing");
    }
    if (chip.dma.capabilities.count(cap.capability()) > 0) {
      p.Fail("chip.core.dma.capabilities.capability",
             v1::DmaCapability_Name(cap.capability()) + " is given twice");
    }
    double fraction = cap.has_throughput_fraction() ? cap.throughput_fraction() : 1.0;
    chip.dma.capabilities[cap.capability()] = {
        fraction, p.Duration("chip.core.dma.capabilities.setup", cap.setup(), false)};
  }

  const v1::HbmSpec& h = c.hbm();
  chip.hbm.technology = h.technology();
  if (chip.hbm.technology.empty()) p.Fail("chip.hbm.technology", "missing");
  chip.hbm.stacks = h.stacks();
  chip.hbm.channels_per_stack = h.channels_per_stack();
  chip.hbm.channel_width_bits = h.has_channel_width_bits() ? h.channel_width_bits() : 128;
  chip.hbm.data_rate = p.BitRate("chip.hbm.data_rate", h.data_rate());
  chip.hbm.capacity_bytes = p.Bytes("chip.hbm.capacity", h.capacity());
  if (!h.interleave().empty()) {
    chip.hbm.interleave_bytes = p.Bytes("chip.hbm.interleave", h.interleave());
  }
  // The interleave is the unit of address striping: whole 32 B bursts.
  if (!(chip.hbm.interleave_bytes >= 32) ||
      std::fmod(chip.hbm.interleave_bytes, 32.0) != 0) {
    p.Fail("chip.hbm.interleave",
           "must be a positive multiple of 32 B, got '" + h.interleave() + "'");
  }
  chip.hbm.mode = h.mode();
  chip.hbm.latency = p.Duration("chip.hbm.latency", h.latency(), false);
  if (!h.rated_bandwidth().empty()) {
    double rated = p.Bandwidth("chip.hbm.rated_bandwidth", h.rated_bandwidth());
    double derived = chip.hbm.peak_bandwidth();
    // The rated figure is a cross-check of stacks × channels × width × rate;
    // 2% covers the rounding of published data rates.
    if (std::abs(derived - rated) > 0.02 * rated) {
      p.Fail("chip.hbm.rated_bandwidth",
             "'" + h.rated_bandwidth() +
                 "' disagrees with stacks × channels × width × "
                 "data_rate = " +
                 FormatBandwidth(derived));
    }
  }

  if (c.has_shared_sram()) {
    const v1::SharedSramSpec& l2 = c.shared_sram();
    chip.shared_sram.capacity_bytes = p.Bytes("chip.shared_sram.capacity", l2.capacity());
    chip.shared_sram.bandwidth =
        p.Bandwidth("chip.shared_sram.bandwidth", l2.bandwidth());
    chip.shared_sram.latency =
        p.Duration("chip.shared_sram.latency", l2.latency(), false);
    chip.shared_sram.cache =
        ParseCache(l2.mode(), l2.has_cache(), l2.cache(), "chip.shared_sram",
                   chip.shared_sram.capacity_bytes, p);
    chip.shared_sram.atomic_add = l2.atomic_add();
  }

  chip.noc = ParseNoc(c.noc(), chip, p);
  return chip;
}

}  // namespace dsasim::arch
