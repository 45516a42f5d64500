// Fuzzed `--set` overrides of a preset: the knobs a user sweeps, with small
// values and the occasional zero, negative or malformed one.
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_generators.h"

namespace dsasim::testing {
namespace {

std::string Count(FuzzReader& in) {
  static const char* const kCounts[] = {"1", "2", "3", "4", "8", "16", "5"};
  if (in.OneIn(16)) return in.Bool() ? "0" : "-1";
  return in.Pick(kCounts);
}

std::string Bytes(FuzzReader& in) {
  static const char* const kBytes[] = {"64KiB", "4KiB", "16KiB", "256KiB",
                                       "1MiB",  "8MiB", "32MiB", "1000B"};
  if (in.OneIn(16)) return in.Bool() ? "0B" : "1B";
  return in.Pick(kBytes);
}

std::string Bandwidth(FuzzReader& in) {
  static const char* const kBandwidths[] = {"64GB/s", "1GB/s",   "16GB/s", "300GB/s",
                                            "2TB/s",  "100Gbps", "0.5GB/s"};
  if (in.OneIn(16)) return in.Bool() ? "0GB/s" : "1B/s";
  return in.Pick(kBandwidths);
}

std::string Duration(FuzzReader& in) {
  static const char* const kDurations[] = {"10ns", "0ns", "1ns", "100ns", "1us", "1ps"};
  if (in.OneIn(16)) return in.Bool() ? "1s" : "-1ns";
  return in.Pick(kDurations);
}

std::string Frequency(FuzzReader& in) {
  static const char* const kFrequencies[] = {"1GHz", "100MHz", "2.5GHz", "1.41GHz"};
  if (in.OneIn(16)) return in.Bool() ? "0Hz" : "1Hz";
  return in.Pick(kFrequencies);
}

// One knob; appends its assignment(s). A knob that needs companions sets
// them too (a cache's mode with its geometry, a shared SRAM's bandwidth
// with its capacity), except now and then, so that the configuration's
// consistency checks see the incomplete case as well.
void AddOne(FuzzReader& in, std::string_view preset, std::vector<std::string>& out) {
  auto set = [&out](std::string path, const std::string& value) {
    out.push_back(std::move(path) + "=" + value);
  };
  const bool mesh = preset == "mesh-dsa";
  const bool systolic = preset == "generic-dsa" || preset == "tpu-v5e";
  const bool has_shared_sram = preset == "h100";
  const bool complete = !in.OneIn(8);
  // The presets without a shared SRAM get a whole one before any of its
  // fields is changed.
  auto shared_sram = [&] {
    if (has_shared_sram || !complete) return;
    set("chip.shared_sram.capacity", "4MiB");
    set("chip.shared_sram.bandwidth", "1TB/s");
    set("chip.shared_sram.latency", "100ns");
    if (mesh) set("chip.noc.shared_sram.placement", "NOC_PLACEMENT_SPLIT_COLUMNS");
  };
  switch (in.Range(0, 31)) {
    case 0:
      if (mesh) {
        // A mesh's cores are its grid: change both together.
        int64_t w = in.Range(1, 4), h = in.Range(1, 4);
        set("chip.noc.width", std::to_string(w));
        set("chip.noc.height", std::to_string(h));
        set("chip.cores", std::to_string(w * h));
      } else {
        set("chip.cores", Count(in));
      }
      break;
    case 1:
      set("chip.launch_overhead", Duration(in));
      break;
    case 2:
      set("chip.core.clock", Frequency(in));
      break;
    case 3:
    case 4:
      set("chip.core.scratchpad.capacity", Bytes(in));
      break;
    case 5:
      set("chip.core.scratchpad.mode", "SRAM_MODE_CACHE");
      break;
    case 6: {
      static const char* const kLines[] = {"128B", "32B", "64B", "256B", "96B"};
      if (complete) set("chip.core.scratchpad.mode", "SRAM_MODE_CACHE");
      set("chip.core.scratchpad.cache.line_size", in.Pick(kLines));
      set("chip.core.scratchpad.cache.ways", Count(in));
      break;
    }
    case 7:
      set("chip.core.scratchpad.accumulator_capacity", Bytes(in));
      break;
    case 8:
      set(in.Bool() ? "chip.core.scratchpad.read_bandwidth"
                    : "chip.core.scratchpad.write_bandwidth",
          Bandwidth(in));
      break;
    case 9:
      set("chip.core.dma.engines", Count(in));
      break;
    case 10:
      set("chip.core.dma.max_outstanding", Count(in));
      break;
    case 11:
      set("chip.core.dma.setup", Duration(in));
      break;
    case 12:
      set("chip.core.dma.bandwidth", Bandwidth(in));
      break;
    case 13: {
      static const char* const kLanes[] = {"32", "1", "8", "128", "256", "33"};
      set("chip.core.vector_engine.lanes", in.OneIn(16) ? Count(in) : in.Pick(kLanes));
      break;
    }
    case 14:
      set("chip.core.vector_engine.instruction_overhead_cycles", Count(in));
      break;
    case 15:
      set("chip.core.tensor_engine.count", Count(in));
      break;
    case 16: {
      // On an MMA preset this switches the engine's kind: the other side
      // of the oneof must then be complete or rejected.
      static const char* const kSides[] = {"128", "1", "4", "16", "32", "100"};
      set("chip.core.tensor_engine.systolic.rows", in.Pick(kSides));
      set("chip.core.tensor_engine.systolic.cols", in.Pick(kSides));
      if (!systolic && complete) {
        set("chip.core.tensor_engine.systolic.dataflow", "DATAFLOW_WEIGHT_STATIONARY");
      } else if (in.Bool()) {
        static const char* const kFlows[] = {"DATAFLOW_WEIGHT_STATIONARY",
                                             "DATAFLOW_OUTPUT_STATIONARY",
                                             "DATAFLOW_INPUT_STATIONARY"};
        set("chip.core.tensor_engine.systolic.dataflow", in.Pick(kFlows));
      }
      break;
    }
    case 17: {
      static const char* const kMins[] = {"16", "1", "8", "64"};
      static const char* const kFlops[] = {"1024", "64", "4096", "100"};
      if (systolic && complete) {
        set("chip.core.tensor_engine.mma.flops_per_cycle", in.Pick(kFlops));
        set("chip.core.tensor_engine.mma.min_n", in.Pick(kMins));
        set("chip.core.tensor_engine.mma.min_k", in.Pick(kMins));
      }
      set("chip.core.tensor_engine.mma.units", Count(in));
      set("chip.core.tensor_engine.mma.min_m", in.Pick(kMins));
      break;
    }
    case 18:
      set("chip.core.tensor_engine.transposed_operands", in.Bool() ? "true" : "false");
      break;
    case 19:
      shared_sram();
      set("chip.shared_sram.capacity", Bytes(in));
      break;
    case 20:
      shared_sram();
      set("chip.shared_sram.mode", "SRAM_MODE_CACHE");
      break;
    case 21:
      shared_sram();
      set("chip.shared_sram.atomic_add", in.Bool() ? "true" : "false");
      break;
    case 22:
      shared_sram();
      set("chip.shared_sram.bandwidth", Bandwidth(in));
      break;
    case 23:
      // The rated bandwidth is checked against the geometry; clear it.
      set(in.Bool() ? "chip.hbm.stacks" : "chip.hbm.channels_per_stack", Count(in));
      set("chip.hbm.rated_bandwidth", "");
      break;
    case 24:
    case 25:
      set("chip.hbm.mode", "HBM_MODE_DETAILED");
      break;
    case 26: {
      static const char* const kInterleaves[] = {"256B", "64B", "4KiB", "32B", "100B"};
      set("chip.hbm.interleave", in.Pick(kInterleaves));
      break;
    }
    case 27: {
      static const char* const kTechs[] = {"HBM2", "HBM2E", "HBM3", "HBM3E"};
      set("chip.hbm.technology", in.Pick(kTechs));
      set("chip.hbm.rated_bandwidth", "");
      break;
    }
    case 28:
      set("chip.hbm.latency", Duration(in));
      break;
    case 29: {
      // A crossbar chip turned into a small mesh or torus (its grid sets
      // the cores), or a mesh into a torus.
      set("chip.noc.kind", in.Bool() ? "NOC_TORUS" : "NOC_MESH");
      if (!mesh && complete) {
        const int64_t w = in.Range(1, 4), h = in.Range(1, 4);
        set("chip.noc.width", std::to_string(w));
        set("chip.noc.height", std::to_string(h));
        set("chip.cores", std::to_string(w * h));
        set("chip.noc.memory.placement", "NOC_PLACEMENT_EDGE_COLUMNS");
        if (has_shared_sram) {
          set("chip.noc.shared_sram.placement", "NOC_PLACEMENT_SPLIT_COLUMNS");
        }
      }
      if (!complete) set("chip.noc.kind", "NOC_CROSSBAR");
      break;
    }
    case 30:
      set(mesh && in.Bool() ? "chip.noc.endpoint_bandwidth" : "chip.noc.port_bandwidth",
          Bandwidth(in));
      break;
    default: {
      static const char* const kPlacements[] = {
          "NOC_PLACEMENT_EDGE_COLUMNS", "NOC_PLACEMENT_LEFT_COLUMN",
          "NOC_PLACEMENT_EDGE_ROWS", "NOC_PLACEMENT_SPLIT_COLUMNS"};
      if (mesh && in.Bool()) {
        set("chip.noc.memory.placement", in.Pick(kPlacements));
      } else {
        set("chip.noc.hop_latency", Duration(in));
      }
      break;
    }
  }
}

}  // namespace

std::vector<std::string> FuzzOverrides(FuzzReader& in, std::string_view preset) {
  std::vector<std::string> out;
  for (int64_t n = in.Range(0, 4); n > 0; --n) AddOne(in, preset, out);
  return out;
}

}  // namespace dsasim::testing
