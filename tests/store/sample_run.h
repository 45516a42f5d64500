// File: tests/store/sample_run.h
//
// Small, fully populated RunRecords for the store tests and the CLI test
// fixture, and a per-test temporary database path.
//
// Example:
//   TempDatabase db("round_trip");  // db.path(), removed at scope exit
//   RunRecord run = SampleRun(/*variant=*/1, /*op_count=*/4);
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "sim/run_record.h"

namespace dsasim::store::testing {

// Every field set to a value distinct per variant, so a mixed-up column or
// run shows up in a comparison. Ops alternate chips 0/1 and cores -1/0/1.
inline RunRecord SampleRun(int variant, int op_count) {
  RunRecord r;
  std::string v = std::to_string(variant);
  r.system_name = "tiny_npu_" + v;
  r.system_text = "name: \"tiny_npu_" + v + "\"\nchips { count: 2 }\n";
  r.workload = "llama-7b decode batch=" + v;
  r.parameters_json = "{\"batch\": " + v + ", \"note\": \"quote \\\" and, comma\"}";
  r.config_hash = "hash" + v;
  r.dsasim_version = "0.1.0";
  r.seed = 18446744073709551557ull - static_cast<uint64_t>(variant);  // above 2^63
  r.wall_seconds = 0.25 * variant;
  r.event_count = 1000u * static_cast<uint64_t>(variant);
  r.metrics = {{"latency_s", 1e-3 * variant, "s"},
               {"tokens_per_s", 1000.0 / variant, "1/s"},
               {"energy_j", 2.5 + variant, "J"}};
  for (int i = 0; i < op_count; ++i) {
    OpRecord op;
    op.op_index = i;
    op.name = "layer" + std::to_string(i / 2) + (i % 2 ? ".attn" : ".mlp");
    op.kind = i % 2 ? "attention" : "matmul";
    op.layer = i / 2;
    op.chip = i % 2;
    op.core = i % 3 - 1;
    op.start_ps = 1000LL * i;
    op.end_ps = 1000LL * i + 1500 + variant;
    op.flops = 1e9 * (i + 1);
    op.bytes = 4096.0 * (i + 1);
    op.engine = i % 2 ? "vector" : "tensor";
    op.bound = i % 3 == 0 ? "compute" : "hbm";
    op.lowering = i % 4 == 3 ? "" : "{\"tile\": [128, 128]}";
    r.ops.push_back(op);
  }
  r.timeline = {{"chip0.tensor", 0, 2000, 0.5, 0},
                {"chip0.tensor", 2000, 4000, 1.0, 0},
                {"chip0.hbm", 0, 4000, 0.25, 1e6 * variant}};
  r.requests = {{7, 0.0, 0.01, 0.05, 128, 32}, {8, 0.002, 0.013, 0.06, 256, 16}};
  return r;
}

// A database path under the temp directory, unique to this process and
// name. The file and its -wal/-shm are removed on construction (leftovers)
// and on destruction (the crash test's file is tens of MB).
class TempDatabase {
 public:
  explicit TempDatabase(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("dsasim_store_" + name + "_" + std::to_string(::getpid()) + ".db")) {
    Remove();
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  ~TempDatabase() { Remove(); }

  const std::filesystem::path& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ignored;
      std::filesystem::remove(path_.string() + suffix, ignored);
    }
  }

  std::filesystem::path path_;
};

}  // namespace dsasim::store::testing
