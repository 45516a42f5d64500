#include "tools/cli/version.h"

namespace dsasim::cli {

std::string VersionLine() {
  return "dsasim " DSASIM_VERSION " (" + std::string(GitCommit()) + ")";
}

}  // namespace dsasim::cli
