#include "workloads/builders/batch_layout.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "sim/error.h"

namespace dsasim::workloads {
namespace {

void Require(bool ok, const char* option, int64_t value, const char* why) {
  if (!ok) {
    throw ConfigError(std::string("option ") + option + " = " + std::to_string(value) +
                      ": " + why);
  }
}

void Add(BatchLayout& b, int64_t count, int64_t q, int64_t cached, int64_t logits) {
  for (int64_t i = 0; i < count; ++i) {
    b.q_lens.push_back(q);
    b.kv_lens.push_back(cached + q);
    b.logit_rows.push_back(logits);
  }
}

// Sequence i goes to group i mod groups.
std::vector<BatchLayout> Deal(const BatchLayout& all, int groups) {
  std::vector<BatchLayout> out(groups);
  for (int64_t i = 0; i < all.Sequences(); ++i) {
    BatchLayout& g = out[i % groups];
    g.q_lens.push_back(all.q_lens[i]);
    g.kv_lens.push_back(all.kv_lens[i]);
    g.logit_rows.push_back(all.logit_rows[i]);
  }
  return out;
}

}  // namespace

int64_t BatchLayout::Tokens() const {
  return std::accumulate(q_lens.begin(), q_lens.end(), int64_t{0});
}
int64_t BatchLayout::KvTokens() const {
  return std::accumulate(kv_lens.begin(), kv_lens.end(), int64_t{0});
}
int64_t BatchLayout::MaxKv() const {
  return kv_lens.empty() ? 0 : *std::max_element(kv_lens.begin(), kv_lens.end());
}
int64_t BatchLayout::LogitRows() const {
  return std::accumulate(logit_rows.begin(), logit_rows.end(), int64_t{0});
}
bool BatchLayout::FreshOnly() const { return q_lens == kv_lens; }

BatchLayout MakeBatchLayout(const BuildOptions& o) {
  Require(o.batch >= 1 || (o.phase == v1::PHASE_MIXED && o.batch == 0), "batch", o.batch,
          "needs at least one sequence");
  Require(o.context_len >= 0, "context_len", o.context_len, "must be >= 0");
  BatchLayout b;
  switch (o.phase) {
    case v1::PHASE_PREFILL:
      Require(o.seq_len >= 1, "seq_len", o.seq_len, "prefill needs seq_len >= 1");
      Add(b, o.batch, o.seq_len, o.context_len, 1);
      break;
    case v1::PHASE_DECODE:
      Require(o.context_len >= 1, "context_len", o.context_len,
              "decode needs context_len >= 1 (tokens already in the KV cache)");
      Add(b, o.batch, 1, o.context_len, 1);
      break;
    case v1::PHASE_VERIFY:
      Require(o.draft_tokens >= 1, "draft_tokens", o.draft_tokens,
              "verify needs draft_tokens >= 1");
      Require(o.context_len >= 1, "context_len", o.context_len,
              "verify needs context_len >= 1");
      Add(b, o.batch, o.draft_tokens + 1, o.context_len, o.draft_tokens + 1);
      break;
    case v1::PHASE_MIXED:
      Require(o.batch == 0 || o.seq_len >= 1, "seq_len", o.seq_len,
              "mixed needs seq_len >= 1 for its prefill chunks");
      Require(o.decode_batch >= 0, "decode_batch", o.decode_batch, "must be >= 0");
      Require(o.decode_batch == 0 || o.context_len >= 1, "context_len", o.context_len,
              "mixed needs context_len >= 1 for its decode sequences");
      Require(o.batch + o.decode_batch >= 1, "decode_batch", o.decode_batch,
              "mixed needs batch + decode_batch >= 1");
      Add(b, o.batch, o.seq_len, 0, 1);
      Add(b, o.decode_batch, 1, o.context_len, 1);
      break;
    default:
      throw ConfigError("option phase = " + v1::Phase_Name(o.phase) +
                        " is not buildable (prefill, decode, mixed or verify)");
  }
  return b;
}

std::vector<BatchLayout> SplitSequences(const BatchLayout& all, int groups) {
  if (all.Sequences() < groups) {
    throw ConfigError("option expert_parallel = " + std::to_string(groups) +
                      " exceeds the " + std::to_string(all.Sequences()) +
                      " sequences of the batch (attention runs data-parallel over "
                      "EP groups)");
  }
  return Deal(all, groups);
}

std::vector<BatchLayout> SplitEqually(const BatchLayout& all, int parts,
                                      const std::string& option,
                                      const std::string& whose) {
  if (parts < 1 || all.Sequences() % parts != 0) {
    throw ConfigError("option " + option + " = " + std::to_string(parts) +
                      " does not divide the " + std::to_string(all.Sequences()) +
                      " sequences of " + whose);
  }
  if (parts == 1) return {all};
  return Deal(all, parts);
}

}  // namespace dsasim::workloads
