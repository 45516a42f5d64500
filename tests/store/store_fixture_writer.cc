// Test-only: writes a result database with two small runs to argv[1] (any
// existing file there is replaced), for the CLI tests of `dsasim query` and
// `dsasim export` (a ctest FIXTURES_SETUP step).
#include <exception>
#include <filesystem>
#include <iostream>

#include "tests/store/sample_run.h"
#include "tools/store/result_store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: store_fixture_writer DB_PATH\n";
    return 2;
  }
  std::filesystem::path path = argv[1];
  try {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix);
    }
    auto store = dsasim::store::ResultStore::Open(
        path, dsasim::store::ResultStore::Mode::kReadWrite);
    store.WriteRun(dsasim::store::testing::SampleRun(1, 6));
    store.WriteRun(dsasim::store::testing::SampleRun(2, 8));
  } catch (const std::exception& e) {
    std::cerr << "store_fixture_writer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
