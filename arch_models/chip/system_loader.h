// File: arch_models/chip/system_loader.h
//
// Finds a system description by preset name (compiled in from
// arch_models/presets/) or file path, and applies `--set field.path=value`
// overrides through protobuf reflection, so any field a textproto can set can
// also be swept from the command line.
//
// Example:
//   v1::System s = LoadSystem("h100");
//   ApplyOverride(s, "chip.hbm.stacks=6");
//   ApplyOverride(s, "chip.core.scratchpad.capacity=\"456KiB\"");  // quotes optional
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsasim/v1/system.pb.h"

namespace dsasim::arch {

std::vector<std::string> PresetNames();
// The preset's textproto, or empty when there is no such preset.
std::string_view PresetText(std::string_view name);

// A preset name or a .textproto/.pb path. ConfigError lists the presets when
// the name is neither.
v1::System LoadSystem(std::string_view name_or_path);

// `assignment` is "path.to.field=value"; "path.to.field=" clears the field.
// A repeated or message field cannot be assigned. ConfigError names the path
// segment that does not exist, or the value that does not parse as the
// field's type (with the text parser's reason).
void ApplyOverride(google::protobuf::Message& root, std::string_view assignment);

}  // namespace dsasim::arch
