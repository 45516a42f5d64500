#include "arch_models/memory/hbm/hbm_model.h"

#include <string>

#include "arch_models/memory/hbm/hbm_detailed_model.h"
#include "arch_models/memory/hbm/hbm_fast_model.h"
#include "sim/error.h"

namespace dsasim::arch {

HbmModel::~HbmModel() = default;

const std::vector<int64_t>& HbmModel::channel_busy_ps() const {
  static const std::vector<int64_t> kNone;
  return kNone;
}

std::unique_ptr<HbmModel> MakeHbmModel(const HbmTiming& timing,
                                       const HbmGeometry& geometry, v1::HbmMode mode) {
  switch (mode) {
    case v1::HBM_MODE_FAST:
      return std::make_unique<HbmFastModel>(timing, geometry);
    case v1::HBM_MODE_DETAILED:
      return std::make_unique<HbmDetailedModel>(timing, geometry);
    default:
      break;
  }
  throw ConfigError("hbm: unknown mode " + std::to_string(static_cast<int>(mode)) +
                    "; known: HBM_MODE_FAST, HBM_MODE_DETAILED");
}

}  // namespace dsasim::arch
