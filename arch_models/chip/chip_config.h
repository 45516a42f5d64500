// File: arch_models/chip/chip_config.h
//
// The validated, unit-resolved form of a v1::System: every quantity a number
// in SI base units (Hz, bytes, bytes/s) or a Tick. Parsing is where bad input
// is caught; the models downstream trust these structs.
//
// Example:
//   v1::System system = LoadSystem("h100", {"chip.hbm.stacks=6"});
//   ChipConfig chip = ParseChipConfig(system, "h100");
//   double peak = chip.PeakFlops(v1::DTYPE_BF16);     // 9.89e14
//
// Errors are ConfigError naming the origin, the field path and the value:
//   "h100: chip.core.clock: '1.8xHz' is not a frequency: ..."
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arch_models/dma/dma_transforms.h"
#include "dsasim/v1/system.pb.h"
#include "sim/time.h"

namespace dsasim::arch {

struct TensorEngineConfig {
  enum class Kind { kSystolic, kMma };
  Kind kind = Kind::kSystolic;
  // Systolic array.
  int rows = 0;
  int cols = 0;
  v1::Dataflow dataflow = v1::DATAFLOW_WEIGHT_STATIONARY;
  // MMA units.
  double flops_per_cycle = 0;
  int units = 0;
  int min_m = 1, min_n = 1, min_k = 1;
  double efficiency = 1.0;
  // Engines of this kind per core.
  int count = 1;
  // Throughput multiplier per natively supported dtype.
  std::map<v1::DType, double> rates;
  // Reads a column-major operand tile without a transpose.
  bool transposed_operands = false;

  // The multiplier for `dtype`, or for the type it is converted to.
  double RateFor(v1::DType dtype) const;
};

struct VectorEngineConfig {
  int lanes = 0;
  double hz = 0;
  int instruction_overhead_cycles = 0;
  std::vector<std::pair<std::string, double>> op_costs;
};

// An SRAM in cache mode (v1::SRAM_MODE_CACHE): its organisation.
struct SramCacheConfig {
  bool enabled = false;
  int ways = 16;
  int64_t line_bytes = 128;
};

struct ScratchpadConfig {
  double capacity_bytes = 0;
  int banks = 1;
  double read_bandwidth = 0;
  double write_bandwidth = 0;
  double accumulator_bytes = 0;
  SramCacheConfig cache;
};

struct DmaConfig {
  int engines = 1;
  int max_outstanding = 1;
  Tick setup;
  double bandwidth = 0;
  std::map<v1::DmaCapability, DmaCapabilityConfig> capabilities;
};

struct HbmConfig {
  std::string technology;
  int stacks = 0;
  int channels_per_stack = 0;
  int channel_width_bits = 0;
  // Per-pin data rate in bits/s.
  double data_rate = 0;
  double capacity_bytes = 0;
  double interleave_bytes = 256;
  v1::HbmMode mode = v1::HBM_MODE_FAST;
  Tick latency;

  int channels() const { return stacks * channels_per_stack; }
  double channel_bandwidth() const { return data_rate * channel_width_bits / 8; }
  double peak_bandwidth() const { return channel_bandwidth() * channels(); }
};

struct SharedSramConfig {
  double capacity_bytes = 0;  // 0: the chip has none
  double bandwidth = 0;
  Tick latency;
  SramCacheConfig cache;

  // Tensors can be placed in it (it exists and is not in cache mode).
  bool addressable() const {
    return capacity_bytes > 0 && bandwidth > 0 && !cache.enabled;
  }
  // Reduce-add stores are added in place (GPU L2 atomics).
  bool atomic_add = false;
};

struct NocConfig {
  v1::NocKind kind = v1::NOC_CROSSBAR;
  // Crossbar: one core's port. Mesh/torus: one link in one direction.
  double port_bandwidth = 0;
  // Crossbar: once per transfer. Mesh/torus: per router-to-router hop.
  Tick hop_latency;
  // Mesh/torus only (zero or empty on a crossbar).
  int width = 0;
  int height = 0;
  double endpoint_bandwidth = 0;
  Tick endpoint_latency;
  // Router index (y · width + x) of each HBM port; HBM channel c is served
  // by port c mod memory_routers.size().
  std::vector<int> memory_routers;
  // Router index of each shared-SRAM slice.
  std::vector<int> shared_sram_routers;

  bool routed() const { return kind == v1::NOC_MESH || kind == v1::NOC_TORUS; }
  // The rate one core's loads can count on (the lowering's estimates): its
  // crossbar port; on a mesh or torus one link, since a transfer's shares
  // reach the core over its router's links and dimension-order routing from
  // memory columns funnels most of them through one or two (the endpoint
  // channel may be wider, as on Wormhole).
  double core_bandwidth() const {
    return routed() ? std::min(port_bandwidth, endpoint_bandwidth) : port_bandwidth;
  }
};

struct ChipConfig {
  std::string name;
  int cores = 0;
  double core_hz = 0;
  TensorEngineConfig tensor;
  VectorEngineConfig vector;
  VectorEngineConfig scalar;
  ScratchpadConfig scratchpad;
  DmaConfig dma;
  HbmConfig hbm;
  SharedSramConfig shared_sram;
  NocConfig noc;
  Tick launch_overhead;
  // Per operator kind ("matmul", "softmax", ...) where it differs from
  // launch_overhead.
  std::map<std::string, Tick, std::less<>> op_launch_overheads;

  // Per operator kind: the largest fraction of peak HBM bandwidth its
  // kernel sustains (v1::ChipSpec.op_memory_efficiencies); 1 when absent.
  std::map<std::string, double, std::less<>> op_memory_efficiencies;

  // The launch cost of an operator of `op_kind`.
  Tick LaunchOverhead(std::string_view op_kind) const;
  // The memory efficiency cap of an operator of `op_kind` (1: none).
  double MemoryEfficiency(std::string_view op_kind) const;

  // Any SRAM in cache mode: its state carries from one op into the next.
  bool HasCache() const { return scratchpad.cache.enabled || shared_sram.cache.enabled; }

  // Peak dense matmul FLOP/s of the chip for `dtype`.
  double PeakFlops(v1::DType dtype) const;
  // Peak vector-engine element operations per second of the chip.
  double PeakVectorOps() const;
};

// The chip of `system` (every chip of a system is alike); the chip count
// and links are arch_models/system's.
ChipConfig ParseChipConfig(const v1::System& system, std::string_view origin);

}  // namespace dsasim::arch
