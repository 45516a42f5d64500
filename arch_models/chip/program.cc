#include "arch_models/chip/program.h"

#include <bit>
#include <cstdint>

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

namespace {

// Whether `a` and `b` are the same descriptor apart from their addresses.
// Gathers never match: their pieces are listed per step.
bool SameButAddress(const Transfer& a, const Transfer& b) {
  return a.num_segments == 0 && b.num_segments == 0 && a.memory == b.memory &&
         a.write == b.write && a.bytes == b.bytes &&
         a.contiguous_bytes == b.contiguous_bytes && a.stride_bytes == b.stride_bytes &&
         a.transforms.bits() == b.transforms.bits() && a.extra_pass == b.extra_pass &&
         a.scattered == b.scattered;
}

bool SamePhase(const ComputePhase& a, const ComputePhase& b) {
  // Bitwise equal costs: the repetition must charge exactly what the
  // lowering asked for.
  return a.engine == b.engine &&
         std::bit_cast<uint64_t>(a.cycles) == std::bit_cast<uint64_t>(b.cycles) &&
         std::bit_cast<uint64_t>(a.flops) == std::bit_cast<uint64_t>(b.flops);
}

// Counts the step as one more repetition of `c`'s last step when it is one.
bool ExtendLastStep(CoreProgram& c, const std::vector<Transfer>& loads,
                    const std::vector<ComputePhase>& compute,
                    const std::vector<Transfer>& stores, double address_cycles) {
  std::vector<Step>& steps = c.steps;
  std::vector<Transfer>& transfers = c.transfers;
  if (steps.empty()) return false;
  Step& last = steps.back();
  if (last.num_loads != loads.size() || last.num_phases != compute.size() ||
      last.num_stores != stores.size() || last.repeat == UINT32_MAX ||
      std::bit_cast<uint64_t>(last.address_cycles) !=
          std::bit_cast<uint64_t>(address_cycles)) {
    return false;
  }
  for (size_t i = 0; i < compute.size(); ++i) {
    if (!SamePhase(c.phases[last.first_phase + i], compute[i])) return false;
  }
  // Each transfer's address must be where the run's next repetition puts
  // it; the second repetition fixes the increment.
  auto matches = [&](uint32_t first, const std::vector<Transfer>& next) {
    for (size_t i = 0; i < next.size(); ++i) {
      const Transfer& t = transfers[first + i];
      if (!SameButAddress(t, next[i])) return false;
      if (last.repeat > 1 &&
          next[i].address != t.address + uint64_t{last.repeat} * t.address_step) {
        return false;
      }
    }
    return true;
  };
  if (!matches(last.first_load, loads) || !matches(last.first_store, stores)) {
    return false;
  }
  if (last.repeat == 1) {
    for (size_t i = 0; i < loads.size(); ++i) {
      transfers[last.first_load + i].address_step =
          loads[i].address - transfers[last.first_load + i].address;
    }
    for (size_t i = 0; i < stores.size(); ++i) {
      transfers[last.first_store + i].address_step =
          stores[i].address - transfers[last.first_store + i].address;
    }
  }
  ++last.repeat;
  return true;
}

}  // namespace

void CoreProgram::AddStep(const std::vector<Transfer>& loads,
                          const std::vector<ComputePhase>& compute,
                          const std::vector<Transfer>& stores, double address_cycles) {
  if (ExtendLastStep(*this, loads, compute, stores, address_cycles)) return;
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
  // A lowering hands whole steps; the increment is AddStep's to set.
  for (uint32_t i = s.first_load; i < transfers.size(); ++i)
    transfers[i].address_step = 0;
  steps.push_back(s);
}

int64_t CoreProgram::StepCount() const {
  int64_t n = 0;
  for (const Step& s : steps) n += s.repeat;
  return n;
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
    h.Add(s.repeat);
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
    // The exact increment: two programs whose addresses differ by whole
    // periods have the same increments, and equal increments keep that
    // difference in every repetition.
    h.Add(t.memory == MemoryKind::kSharedSram ? uint64_t{0} : t.address_step);
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
