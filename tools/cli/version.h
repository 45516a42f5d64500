// File: tools/cli/version.h
//
// What `dsasim --version` prints: the project VERSION (CMakeLists.txt) and
// the git commit the binary was built from.
//
// Example:
//   std::cout << VersionLine() << "\n";   // "dsasim 0.1.0 (86552e0)"
//
// Contract: the commit is abbreviated lowercase hex, or "unknown" when the
// build did not run in a git checkout.
#pragma once

#include <string>
#include <string_view>

namespace dsasim {

// Defined in a source the build generates (cmake/GitCommit.cmake).
std::string_view GitCommit();

namespace cli {

std::string VersionLine();

}  // namespace cli
}  // namespace dsasim
