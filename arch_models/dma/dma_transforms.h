// File: arch_models/dma/dma_transforms.h
//
// The tensor-aware transforms one DMA descriptor asks for (a set of
// v1::DmaCapability), and what they cost on an engine that has them.
//
// Example:
//   DmaTransforms t;
//   t.Add(v1::DMA_INT4_UNPACK).Add(v1::DMA_SCALE);   // dequantize on the way in
//   DmaCapabilityConfig cost = TransformCost(chip.dma.capabilities, t);
//   // engine time = bytes / (bandwidth · cost.throughput_fraction),
//   // per-descriptor setup = dma.setup + cost.setup
//
// Composition rule. A descriptor may carry several transforms (an int4
// weight tile with group scales needs unpack and scale). The engine runs
// them as stages of one pipelined datapath, so
//   - throughput is the slowest stage's: min of the throughput fractions;
//   - setup is paid per stage (each is configured per descriptor): the sum.
// Which transforms a descriptor may carry together is the lowering's rule
// (workloads/lowering/dequant_plan.h): scaling applies to decoded values, so
// a DMA that cannot unpack a type never scales it either.
//
// Contract: TransformCost throws MappingError naming the first transform the
// capabilities lack ("transfer asks DMA transform DMA_SCALE that the chip's
// DMA engines lack"). The empty set costs nothing (fraction 1, setup 0).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "dsasim/v1/system.pb.h"
#include "sim/time.h"

namespace dsasim::arch {

// One capability of a chip's DMA engines.
struct DmaCapabilityConfig {
  // Fraction of plain-copy throughput the transform sustains, in (0, 1].
  double throughput_fraction = 1.0;
  // Extra per-descriptor setup.
  Tick setup;
};

class DmaTransforms {
 public:
  constexpr DmaTransforms() = default;
  // REQUIRES: `c` is a capability value of the schema (not UNSPECIFIED).
  DmaTransforms& Add(v1::DmaCapability c);
  bool Has(v1::DmaCapability c) const { return (bits_ & Bit(c)) != 0; }
  bool empty() const { return bits_ == 0; }
  // A stable encoding for digests.
  uint32_t bits() const { return bits_; }
  // "DMA_INT4_UNPACK+DMA_SCALE"; "" when empty.
  std::string Names() const;

  friend bool operator==(DmaTransforms a, DmaTransforms b) { return a.bits_ == b.bits_; }

 private:
  static uint32_t Bit(v1::DmaCapability c) { return 1u << static_cast<uint32_t>(c); }
  uint32_t bits_ = 0;
};

// The cost of `transforms` on engines with `capabilities` (see the
// composition rule above). Throws MappingError for a missing capability.
DmaCapabilityConfig TransformCost(
    const std::map<v1::DmaCapability, DmaCapabilityConfig>& capabilities,
    DmaTransforms transforms);

}  // namespace dsasim::arch
