#include "tools/store/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "sim/error.h"

namespace dsasim::store {

void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  // Same directory as the target, so rename() cannot cross file systems;
  // the pid keeps two concurrent exports of the same name apart.
  std::filesystem::path temp = path;
  temp += ".tmp." + std::to_string(::getpid());
  auto fail = [&](const std::string& what) {
    std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw ConfigError(path.string() + ": " + what + ": " + reason);
  };
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) fail("cannot create " + temp.string());
  bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(::fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) fail("cannot write " + temp.string());
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    fail("cannot rename " + temp.string());
}

}  // namespace dsasim::store
