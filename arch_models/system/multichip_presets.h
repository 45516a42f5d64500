// File: arch_models/system/multichip_presets.h
//
// The multi-chip system presets (arch_models/presets/dgx_h100.textproto
// and the others), compiled in. They live apart from the single-chip list
// (arch_models/chip's EmbeddedSystemPresets, which `--system` reads) until
// the system loader accepts chips > 1; the Machine then lists them there.
//
// Example:
//   v1::System s = LoadMultiChipPreset("dgx-h100");
//   InterconnectConfig c = ParseInterconnect(s, "preset dgx-h100");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/system.pb.h"

namespace dsasim::arch {

std::vector<std::string> MultiChipPresetNames();
// Throws ConfigError for an unknown name, listing the known ones.
v1::System LoadMultiChipPreset(std::string_view name);

}  // namespace dsasim::arch
