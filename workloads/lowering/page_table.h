// File: workloads/lowering/page_table.h
//
// A paged KV cache's block table: each sequence's logical pages of
// `page_tokens` tokens map to physical pages of the cache tensor at
// scattered, seeded positions, as a serving engine's block allocator leaves
// them after requests come and go. The table is one seeded permutation of
// all physical pages, so the same (shape, page size, seed) gives the same
// placement on every run, and every layer's K and V caches use it — vLLM
// keeps one block table per sequence for all layers — so identical layers
// still lower to identical programs.
//
// Example:
//   PageTable table(/*sequences=*/8, /*tokens_per_sequence=*/4096,
//                   /*page_tokens=*/16, /*seed=*/1);
//   for (const PageRun& r : table.Runs(/*seq=*/3, /*first=*/256, /*tokens=*/256))
//     address = cache_base + (r.page * 16 + r.offset) * token_row_bytes;
//
// A page holds page_tokens whole token rows ([token][kv_head][dim]), so
// inside a page a head's slice is a strided run, as in the contiguous cache.
// Contract: REQUIRES sequences, tokens_per_sequence, page_tokens > 0.
// Runs() covers [first, first + tokens) in order, one run per page touched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dsasim::workloads {

struct PageRun {
  int64_t page = 0;    // physical page index in the cache tensor
  int64_t offset = 0;  // first token of the run inside that page
  int64_t tokens = 0;
};

class PageTable {
 public:
  PageTable(int64_t sequences, int64_t tokens_per_sequence, int64_t page_tokens,
            uint64_t seed);

  int64_t page_tokens() const { return page_tokens_; }
  int64_t pages_per_sequence() const { return pages_per_sequence_; }
  // Physical page of logical page `page` of sequence `seq`.
  int64_t Physical(int64_t seq, int64_t page) const {
    return physical_.at(static_cast<size_t>(seq * pages_per_sequence_ + page));
  }
  // The pages holding tokens [first, first + tokens) of sequence `seq`.
  std::vector<PageRun> Runs(int64_t seq, int64_t first, int64_t tokens) const;

 private:
  int64_t page_tokens_;
  int64_t pages_per_sequence_;
  std::vector<int64_t> physical_;
};

}  // namespace dsasim::workloads
