// File: workloads/models/shipped_models.h
//
// The Hugging Face config.json files under workloads/models/<id>/, compiled
// into the binary by the build (cmake/EmbedFiles.cmake) so that
// `--model llama3-8b` works from any directory. Keys are the model ids.
//
// Example:
//   for (const EmbeddedFile& f : EmbeddedModelConfigs()) Use(f.name, f.text);
#pragma once

#include <span>

#include "sim/embedded_file.h"

namespace dsasim::workloads {

std::span<const EmbeddedFile> EmbeddedModelConfigs();

}  // namespace dsasim::workloads
