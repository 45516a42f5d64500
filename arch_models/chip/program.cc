#include "arch_models/chip/program.h"

namespace dsasim::arch {
namespace {

// FNV-1a over the bytes of each value; deterministic across runs.
class Hasher {
 public:
  template <typename T>
  void Add(const T& v) {
    const auto* p = reinterpret_cast<const unsigned char*>(&v);
    for (size_t i = 0; i < sizeof(T); ++i) h_ = (h_ ^ p[i]) * 1099511628211ull;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 1469598103934665603ull;
};

}  // namespace

void CoreProgram::AddStep(const std::vector<Transfer>& loads,
                          const std::vector<ComputePhase>& compute,
                          const std::vector<Transfer>& stores, double address_cycles) {
  Step s;
  s.address_cycles = address_cycles;
  s.first_load = static_cast<uint32_t>(transfers.size());
  s.num_loads = static_cast<uint32_t>(loads.size());
  transfers.insert(transfers.end(), loads.begin(), loads.end());
  s.first_phase = static_cast<uint32_t>(phases.size());
  s.num_phases = static_cast<uint32_t>(compute.size());
  phases.insert(phases.end(), compute.begin(), compute.end());
  s.first_store = static_cast<uint32_t>(transfers.size());
  s.num_stores = static_cast<uint32_t>(stores.size());
  transfers.insert(transfers.end(), stores.begin(), stores.end());
  steps.push_back(s);
}

uint32_t CoreProgram::AddSegments(const std::vector<GatherSegment>& pieces) {
  const auto first = static_cast<uint32_t>(segments.size());
  segments.insert(segments.end(), pieces.begin(), pieces.end());
  return first;
}

namespace {

void HashCore(const CoreProgram& c, uint64_t address_period, Hasher& h) {
  // Shared-SRAM timing does not depend on the address (one bandwidth
  // server), so SRAM addresses do not enter the digest at all.
  auto address_of = [address_period](MemoryKind memory, uint64_t address) {
    return memory == MemoryKind::kSharedSram ? 0
           : address_period                  ? address % address_period
                                             : address;
  };
  h.Add(c.core);
  h.Add(c.buffers);
  h.Add(c.steps.size());
  for (const Step& s : c.steps) {
    h.Add(s.num_loads);
    h.Add(s.num_phases);
    h.Add(s.num_stores);
    h.Add(s.address_cycles);
  }
  for (const Transfer& t : c.transfers) {
    h.Add(t.memory);
    h.Add(t.write);
    h.Add(address_of(t.memory, t.address));
    h.Add(t.bytes);
    h.Add(t.contiguous_bytes);
    h.Add(t.stride_bytes);
    h.Add(t.transforms.bits());
    h.Add(t.extra_pass);
    h.Add(t.scattered);
    h.Add(t.num_segments);
    for (uint32_t i = 0; i < t.num_segments; ++i) {
      const GatherSegment& g = c.segments[t.first_segment + i];
      h.Add(address_of(t.memory, g.address));
      h.Add(g.bytes);
    }
  }
  for (const ComputePhase& p : c.phases) {
    h.Add(p.engine);
    h.Add(p.cycles);
    h.Add(p.flops);
  }
}

}  // namespace

uint64_t OpProgram::Digest(uint64_t address_period) const {
  Hasher h;
  h.Add(memory_efficiency);
  for (const CoreProgram& c : cores) HashCore(c, address_period, h);
  if (!epilogue.empty()) {
    // Marks where the main program ends, so moving a core's steps across
    // the barrier changes the digest.
    h.Add(epilogue.size());
    for (const CoreProgram& c : epilogue) HashCore(c, address_period, h);
  }
  return h.value();
}

}  // namespace dsasim::arch
