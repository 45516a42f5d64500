// File: workloads/builders/batch_layout.h
//
// The sequences of one iteration: new (query) tokens and attended length of
// each, per phase, and their split across EP groups.
//
// Example:
//   BatchLayout all = MakeBatchLayout(options);        // validates lengths
//   std::vector<BatchLayout> per_group = SplitSequences(all, plan.ep);
//   std::vector<BatchLayout> replicas = SplitEqually(all, 2, "data_parallel", "the
//   batch");
//
// Contract:
//   - prefill: batch × seq_len new tokens on top of context_len cached ones
//     (0 for a fresh prompt); decode: batch × 1 on context_len; verify:
//     batch × (draft_tokens + 1) on context_len; mixed: batch chunks of
//     seq_len (no earlier chunks) plus decode_batch × 1 on context_len.
//   - A phase without its lengths is a ConfigError naming the option.
//   - SplitSequences deals sequences round-robin so mixed batches spread
//     prefill chunks and decodes evenly; ConfigError when there are fewer
//     sequences than groups.
//   - SplitEqually deals them the same way into parts of equal sequence
//     counts (DP replicas, PP microbatches); ConfigError naming `option`
//     when `parts` does not divide the sequences. One part is the input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/builders/graph_builder.h"

namespace dsasim::workloads {

struct BatchLayout {
  std::vector<int64_t> q_lens;   // new tokens per sequence
  std::vector<int64_t> kv_lens;  // cached + new tokens per sequence
  // Rows per sequence that feed the LM head (last token, or all draft
  // positions in verify).
  std::vector<int64_t> logit_rows;

  int64_t Sequences() const { return static_cast<int64_t>(q_lens.size()); }
  int64_t Tokens() const;
  int64_t KvTokens() const;
  int64_t MaxKv() const;
  int64_t LogitRows() const;
  // True when no sequence has cached tokens: attention can read the fresh
  // K/V activations instead of the cache.
  bool FreshOnly() const;
};

BatchLayout MakeBatchLayout(const BuildOptions& options);
std::vector<BatchLayout> SplitSequences(const BatchLayout& all, int groups);
// `whose` names what is split in the error ("the batch", "each replica").
std::vector<BatchLayout> SplitEqually(const BatchLayout& all, int parts,
                                      const std::string& option,
                                      const std::string& whose);

}  // namespace dsasim::workloads
