#include "arch_models/dma/dma_transforms.h"

#include <algorithm>

#include "sim/error.h"

namespace dsasim::arch {

DmaTransforms& DmaTransforms::Add(v1::DmaCapability c) {
  if (c == v1::DMA_CAPABILITY_UNSPECIFIED || !v1::DmaCapability_IsValid(c)) {
    throw ConfigError("DMA transform " + std::to_string(static_cast<int>(c)) +
                      " is not a capability");
  }
  bits_ |= Bit(c);
  return *this;
}

std::string DmaTransforms::Names() const {
  std::string out;
  for (int c = v1::DmaCapability_MIN; c <= v1::DmaCapability_MAX; ++c) {
    const auto cap = static_cast<v1::DmaCapability>(c);
    if (cap == v1::DMA_CAPABILITY_UNSPECIFIED || !Has(cap)) continue;
    if (!out.empty()) out += "+";
    out += v1::DmaCapability_Name(cap);
  }
  return out;
}

DmaCapabilityConfig TransformCost(
    const std::map<v1::DmaCapability, DmaCapabilityConfig>& capabilities,
    DmaTransforms transforms) {
  DmaCapabilityConfig cost;
  // Walked in enum order, so the capability named in an error is the same
  // on every run.
  for (int c = v1::DmaCapability_MIN; c <= v1::DmaCapability_MAX; ++c) {
    const auto cap = static_cast<v1::DmaCapability>(c);
    if (cap == v1::DMA_CAPABILITY_UNSPECIFIED || !transforms.Has(cap)) continue;
    auto it = capabilities.find(cap);
    if (it == capabilities.end()) {
      throw MappingError("transfer asks DMA transform " + v1::DmaCapability_Name(cap) +
                         " that the chip's DMA engines lack");
    }
    cost.throughput_fraction =
        std::min(cost.throughput_fraction, it->second.throughput_fraction);
    cost.setup = cost.setup + it->second.setup;
  }
  return cost;
}

}  // namespace dsasim::arch
