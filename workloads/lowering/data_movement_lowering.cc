#include "workloads/lowering/data_movement_lowering.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "workloads/graph/dtype.h"
#include "workloads/graph/graph_errors.h"
#include "workloads/lowering/gather.h"
#include "workloads/lowering/page_table.h"

namespace dsasim::workloads {
namespace {

using arch::Transfer;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t RowLength(const v1::Tensor& t) {
  return t.shape_size() == 0 ? 1 : t.shape(t.shape_size() - 1);
}

// Rows per chunk: enough chunks to occupy every core, each as large as the
// scratchpad holds with the pipeline's buffers.
int64_t ChunkRows(int64_t rows, double row_bytes, const LoweringContext& ctx) {
  int64_t chunk = std::max<int64_t>(1, CeilDiv(rows, ctx.chip.cores));
  int64_t fit = static_cast<int64_t>(ctx.chip.scratchpad.capacity_bytes /
                                     (ctx.buffers() * std::max(1.0, row_bytes)));
  return std::max<int64_t>(1, std::min(chunk, fit));
}

// A KV cache [batch, tokens, ...] with its block table.
struct PagedCache {
  Placement place;
  int64_t sequences = 0;
  int64_t tokens = 0;        // capacity per sequence
  double row_bytes = 0;      // one token's row, all heads
  int64_t row_elements = 0;  // the same row in elements
  std::optional<PageTable> table;

  uint64_t Address(int64_t seq, int64_t token) const {
    if (!table) {
      return place.address + static_cast<uint64_t>((seq * tokens + token) * row_bytes);
    }
    const int64_t p = table->page_tokens();
    const int64_t physical = table->Physical(seq, token / p);
    return place.address + static_cast<uint64_t>((physical * p + token % p) * row_bytes);
  }
};

PagedCache CacheOf(const v1::Operator& op, const v1::Tensor& cache, int32_t page,
                   const LoweringContext& ctx) {
  if (cache.shape_size() < 3) {
    throw ConfigError("op '" + op.name() + "': page_size = " + std::to_string(page) +
                      " needs a KV cache [batch, tokens, ...], but '" + cache.name() +
                      "' has " + std::to_string(cache.shape_size()) + " dimensions");
  }
  // The validator allows empty dimensions; a cache without token rows has
  // nothing to page or move a row to.
  if (TensorElements(cache) == 0) {
    throw ConfigError("op '" + op.name() + "': KV cache '" + cache.name() + "' " +
                      ShapeString(cache) + " holds no token rows");
  }
  PagedCache c;
  c.place = ctx.memory.at(cache.name());
  c.sequences = cache.shape(0);
  c.tokens = cache.shape(1);
  c.row_bytes = TensorBytes(cache) / static_cast<double>(c.sequences * c.tokens);
  c.row_elements = TensorElements(cache) / (c.sequences * c.tokens);
  if (page > 0) c.table.emplace(c.sequences, c.tokens, page, ctx.seed);
  return c;
}

// Token rows [first, first + n) of `seq` in `cache`: one piece per page
// touched (the whole range when the cache is contiguous).
std::vector<arch::GatherSegment> CachePieces(const PagedCache& cache, int64_t seq,
                                             int64_t first, int64_t n) {
  std::vector<arch::GatherSegment> pieces;
  const int64_t p = cache.table ? cache.table->page_tokens() : n;
  for (int64_t t = first; t < first + n;) {
    const int64_t take = std::min(first + n - t, p - t % p);
    pieces.push_back({cache.Address(seq, t),
                      static_cast<int64_t>(static_cast<double>(take) * cache.row_bytes)});
    t += take;
  }
  return pieces;
}

struct Emitted {
  int64_t rows = 0;
  double row_bytes = 0;
  int64_t chunk = 0;
  bool gathered = false;
};

// Token rows of a cache moved in chunks per sequence: a read gathers
// `per_seq` tokens from the cache into a contiguous buffer at `flat`; an
// append scatters them from `flat` to the last `per_seq` slots.
Emitted CacheRows(const v1::Operator& op, const PagedCache& cache, int64_t per_seq,
                  bool append, const Placement& flat, LoweredOp& lowered,
                  const LoweringContext& ctx) {
  if (per_seq > cache.tokens) {
    throw ConfigError("op '" + op.name() + "': moves " + std::to_string(per_seq) +
                      " token rows per sequence, but its KV cache holds " +
                      std::to_string(cache.tokens));
  }
  Emitted e;
  e.rows = per_seq * cache.sequences;
  e.row_bytes = cache.row_bytes;
  e.chunk = ChunkRows(e.rows, cache.row_bytes, ctx);
  e.gathered = cache.table.has_value();
  int next = 0;
  for (int64_t seq = 0; seq < cache.sequences; ++seq) {
    const int64_t first = append ? cache.tokens - per_seq : 0;
    for (int64_t t0 = 0; t0 < per_seq; t0 += e.chunk) {
      const int64_t n = std::min(e.chunk, per_seq - t0);
      arch::CoreProgram& core = lowered.program.cores[next];
      next = (next + 1) % ctx.chip.cores;
      const int64_t bytes =
          static_cast<int64_t>(static_cast<double>(n) * cache.row_bytes);
      const Transfer staged = Transfer::Flat(
          flat.memory, !append,
          flat.address + static_cast<uint64_t>((seq * per_seq + t0) * cache.row_bytes),
          bytes);
      ScatteredPieces paged{cache.place.memory, append, 0, 0,
                            CachePieces(cache, seq, first + t0, n)};
      std::vector<Transfer> loads, stores;
      int64_t address_pieces = 0;
      if (append) {
        loads.push_back(staged);
        address_pieces = cache.table ? AddScattered(core, paged, ctx, stores) : 0;
        if (!cache.table) {
          stores.push_back(
              Transfer::Flat(cache.place.memory, true, paged.pieces[0].address, bytes));
        }
      } else {
        address_pieces = cache.table ? AddScattered(core, paged, ctx, loads) : 0;
        if (!cache.table) {
          loads.push_back(
              Transfer::Flat(cache.place.memory, false, paged.pieces[0].address, bytes));
        }
        stores.push_back(staged);
      }
      core.AddStep(loads, {}, stores, AddressCycles(address_pieces, ctx));
    }
  }
  return e;
}

// Rows gathered from `src` (a table of `src_rows` rows of `row_bytes`) into
// `dst` in order: row r comes from ScatteredIndex(seed, r, src_rows).
Emitted GatherRows(const Placement& src, int64_t src_rows, const Placement& dst,
                   int64_t rows, double row_bytes, LoweredOp& lowered,
                   const LoweringContext& ctx) {
  Emitted e{rows, row_bytes, ChunkRows(rows, row_bytes, ctx), true};
  int next = 0;
  for (int64_t r0 = 0; r0 < rows; r0 += e.chunk) {
    const int64_t n = std::min(e.chunk, rows - r0);
    arch::CoreProgram& core = lowered.program.cores[next];
    next = (next + 1) % ctx.chip.cores;
    ScatteredPieces p{src.memory, false, 0, 0, {}};
    for (int64_t r = r0; r < r0 + n; ++r) {
      p.pieces.push_back(
          {src.address + static_cast<uint64_t>(
                             static_cast<double>(ScatteredIndex(ctx.seed, r, src_rows)) *
                             row_bytes),
           static_cast<int64_t>(row_bytes)});
    }
    std::vector<Transfer> loads;
    const int64_t address_pieces = AddScattered(core, p, ctx, loads);
    const Transfer store = Transfer::Flat(
        dst.memory, true, dst.address + static_cast<uint64_t>(r0 * row_bytes),
        static_cast<int64_t>(n * row_bytes));
    core.AddStep(loads, {}, {store}, AddressCycles(address_pieces, ctx));
  }
  return e;
}

// Contiguous rows copied from `src` to `dst` (a contiguous KV append).
Emitted CopyRows(const Placement& src, const Placement& dst, int64_t rows,
                 double row_bytes, LoweredOp& lowered, const LoweringContext& ctx) {
  Emitted e{rows, row_bytes, ChunkRows(rows, row_bytes, ctx), false};
  int next = 0;
  for (int64_t r0 = 0; r0 < rows; r0 += e.chunk) {
    int64_t n = std::min(e.chunk, rows - r0);
    int64_t bytes = static_cast<int64_t>(n * row_bytes);
    Transfer load = Transfer::Flat(
        src.memory, false, src.address + static_cast<uint64_t>(r0 * row_bytes), bytes);
    Transfer store = Transfer::Flat(
        dst.memory, true, dst.address + static_cast<uint64_t>(r0 * row_bytes), bytes);
    lowered.program.cores[next].AddStep({load}, {}, {store});
    next = (next + 1) % ctx.chip.cores;
  }
  return e;
}

}  // namespace

LoweredOp LowerDataMovement(const v1::Operator& op, const LoweringContext& ctx) {
  LoweredOp lowered;
  for (int c = 0; c < ctx.chip.cores; ++c) lowered.program.AddCore(c, ctx.buffers());
  // The bytes that move: the new rows for an append or a dispatch, the
  // gathered rows for an embedding or a cache read — always the first
  // output's size except for an append, whose output is the whole cache.
  const v1::Tensor& moved = op.kind_case() == v1::Operator::kKvCacheAppend
                                ? ctx.tensor(op.inputs(0))
                                : ctx.tensor(op.outputs(0));
  const int64_t cols = RowLength(moved);
  const int64_t rows = TensorElements(moved) / std::max<int64_t>(1, cols);
  const double row_bytes =
      TensorBytes(moved) / static_cast<double>(std::max<int64_t>(1, rows));

  Emitted e;
  int32_t page = 0;
  switch (op.kind_case()) {
    case v1::Operator::kKvCacheAppend: {
      page = op.kv_cache_append().page_size();
      const Placement& src = ctx.memory.at(op.inputs(0));
      if (page == 0) {
        e = CopyRows(src, ctx.memory.at(op.outputs(0)), rows, row_bytes, lowered, ctx);
        break;
      }
      const PagedCache cache = CacheOf(op, ctx.tensor(op.outputs(0)), page, ctx);
      // Rows counted in elements: the new rows and the cache may differ in
      // dtype (fp16 activations into an fp8 cache).
      const int64_t tokens = TensorElements(moved) / cache.row_elements;
      e = CacheRows(op, cache, std::max<int64_t>(1, CeilDiv(tokens, cache.sequences)),
                    /*append=*/true, src, lowered, ctx);
      break;
    }
    case v1::Operator::kKvCacheRead: {
      page = op.kv_cache_read().page_size();
      const PagedCache cache = CacheOf(op, ctx.tensor(op.inputs(0)), page, ctx);
      const int64_t tokens = TensorElements(moved) / cache.row_elements;
      e = CacheRows(op, cache, std::max<int64_t>(1, tokens / cache.sequences),
                    /*append=*/false, ctx.memory.at(op.outputs(0)), lowered, ctx);
      break;
    }
    case v1::Operator::kEmbedding: {
      // Rows of the table (the weight input) picked by token id.
      std::string table = op.inputs(0);
      for (const std::string& name : op.inputs()) {
        if (ctx.tensor(name).placement() == v1::PLACEMENT_WEIGHT) table = name;
      }
      const v1::Tensor& t = ctx.tensor(table);
      e = GatherRows(ctx.memory.at(table), TensorElements(t) / std::max<int64_t>(1, cols),
                     ctx.memory.at(op.outputs(0)), rows, row_bytes, lowered, ctx);
      break;
    }
    default: {
      // MoE dispatch: token rows of the input in routing order.
      const v1::Tensor& in = ctx.tensor(op.inputs(0));
      e = GatherRows(ctx.memory.at(in.name()),
                     TensorElements(in) / std::max<int64_t>(1, RowLength(in)),
                     ctx.memory.at(op.outputs(0)), rows, row_bytes, lowered, ctx);
    }
  }
  JsonWriter json;
  json.BeginObject().Key("engine").String("dma");
  json.Key("rows").Int(e.rows).Key("row_bytes").Number(e.row_bytes);
  // Which engine walked the index list: the DMA, or the scalar engine
  // building a descriptor per row.
  json.Key("gather").String(e.gathered ? GatherEngineName(ctx) : "none");
  if (page > 0) json.Key("kv_page_size").Int(page);
  json.Key("chunk_rows").Int(e.chunk).EndObject();
  lowered.choices_json = json.str();
  return lowered;
}

}  // namespace dsasim::workloads
