#include "workloads/lowering/page_table.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "sim/error.h"
#include "workloads/lowering/gather.h"

namespace dsasim::workloads {

PageTable::PageTable(int64_t sequences, int64_t tokens_per_sequence, int64_t page_tokens,
                     uint64_t seed)
    : page_tokens_(page_tokens),
      pages_per_sequence_(
          page_tokens > 0 ? (tokens_per_sequence + page_tokens - 1) / page_tokens : 0) {
  if (sequences <= 0 || tokens_per_sequence <= 0 || page_tokens <= 0) {
    throw ConfigError("paged KV cache: sequences (" + std::to_string(sequences) +
                      "), tokens per sequence (" + std::to_string(tokens_per_sequence) +
                      ") and page_size (" + std::to_string(page_tokens) +
                      ") must be > 0");
  }
  const int64_t pages = sequences * pages_per_sequence_;
  physical_.resize(static_cast<size_t>(pages));
  std::iota(physical_.begin(), physical_.end(), int64_t{0});
  // Fisher–Yates with a counter-based generator: the permutation depends on
  // the seed and the page count only.
  for (int64_t i = pages - 1; i > 0; --i) {
    int64_t j = ScatteredIndex(seed, i, i + 1);
    std::swap(physical_[static_cast<size_t>(i)], physical_[static_cast<size_t>(j)]);
  }
}

std::vector<PageRun> PageTable::Runs(int64_t seq, int64_t first, int64_t tokens) const {
  std::vector<PageRun> runs;
  int64_t t = first;
  const int64_t end = first + tokens;
  while (t < end) {
    const int64_t page = t / page_tokens_;
    const int64_t offset = t % page_tokens_;
    const int64_t n = std::min(end - t, page_tokens_ - offset);
    runs.push_back({Physical(seq, page), offset, n});
    t += n;
  }
  return runs;
}

}  // namespace dsasim::workloads
