// File: arch_models/system/all_reduce_sweep.h
//
// AllReduce over every chip of a system, one payload size at a time: what
// nccl-tests' all_reduce_perf measures, for the validation table
// a100x4_allreduce (../shared/validation/a100x4_allreduce.csv).
//
// Example:
//   std::vector<double> t = SimulateAllReduce(system, {65536, 1 << 20});
//   // t[i]: seconds from the call to the last participant's output, size i
//
// Each size runs on a fresh Interconnect (idle links), every participant
// arriving at t = 0, as a benchmark's timed iteration does after warm-up;
// the time is the last participant's end, like the benchmark's per-call
// time (it synchronizes every rank). Sizes are each participant's buffer in
// bytes. Throws ConfigError as ParseInterconnect does, and when the system
// reduces on compute cores but `reduce_bytes_per_s` (one rate for every
// chip) is 0.
#pragma once

#include <string>
#include <vector>

#include "dsasim/v1/system.pb.h"

namespace dsasim::arch {

std::vector<double> SimulateAllReduce(const v1::System& system,
                                      const std::vector<double>& sizes,
                                      const std::string& origin = "system",
                                      double reduce_bytes_per_s = 0);

// Mean absolute percentage error of `simulated` against `measured`, in %,
// over the entries whose size is at least `min_size`.
double MeanAbsolutePercentError(const std::vector<double>& sizes,
                                const std::vector<double>& simulated,
                                const std::vector<double>& measured, double min_size);

}  // namespace dsasim::arch
