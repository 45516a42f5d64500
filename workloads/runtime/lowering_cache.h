// File: workloads/runtime/lowering_cache.h
//
// Identical layers lower to identical programs: the cache lowers each
// distinct operator signature once and hands back the program (and its
// digest) for every repeat, on every chip of a system. A signature is
// everything the lowering reads — the operator's kind and attributes, each
// operand's shape, type and placement — so two ops with one signature lower
// alike by construction (lowerings are pure functions, lowering_context.h).
//
// Example:
//   LoweringCache cache;
//   const LoweringCache::Entry& e = cache.Lower(op, ctx);
//   chip.Run(e.op.program, e.digest, done);
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "dsasim/v1/graph.pb.h"
#include "workloads/lowering/lowering_context.h"

namespace dsasim::workloads {

class LoweringCache {
 public:
  struct Entry {
    LoweredOp op;
    // op.program.Digest(ctx.memory.stripe_bytes()).
    uint64_t digest = 0;
  };

  // The lowered `op` under `ctx`; throws MappingError naming the op when it
  // cannot be mapped. References stay valid for the cache's lifetime.
  const Entry& Lower(const v1::Operator& op, const LoweringContext& ctx);

  size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, Entry> entries_;
};

// The cache key of `op` under `ctx` (exposed for tests).
std::string LoweringSignature(const v1::Operator& op, const LoweringContext& ctx);

}  // namespace dsasim::workloads
