// File: tools/store/atomic_file.h
//
// Writes a whole file or nothing: the bytes go to a temporary file beside
// the target, which is then renamed over it, so a reader (or a crash) never
// sees half an export.
//
// Example:
//   WriteFileAtomically("trace.json", json_text);
//
// Contract: throws dsasim::ConfigError naming the path when the directory
// is not writable or the disk is full; the temporary is removed on failure.
#pragma once

#include <filesystem>
#include <string_view>

namespace dsasim::store {

void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace dsasim::store
