#include "workloads/lowering/attention_lowering.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "workloads/graph/dtype.h"
#include "workloads/lowering/gather.h"
#include "workloads/lowering/page_table.h"
#include "workloads/lowering/partial_sums.h"

namespace dsasim::workloads {
namespace {

using arch::ComputePhase;
using arch::EngineKind;
using arch::Transfer;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Geometry {
  int64_t q_heads, kv_heads, group, qk_dim, v_dim;
  double act_bytes, kv_bytes;
  v1::DType compute_dtype;
  bool causal;
  int64_t window;
  // One token's K (and V) row for all KV heads: [token][kv_head][dim], so
  // one head's slice of a row is a contiguous run.
  int64_t k_row_bytes, v_row_bytes;
  // MLA over the latent: one cached vector serves as K and (its first
  // kv_lora_rank columns) as V; there is no separate V load.
  bool latent;
};

struct Blocking {
  int64_t q_block;    // query tokens per unit
  int64_t kv_block;   // KV tokens per step
  int64_t head_rows;  // query heads of the group per unit (all when they fit)
};

// Scratchpad bytes of one pipeline stage of a fused unit: the K and V blocks
// and the fp32 score tile.
double StageBytes(const Geometry& g, const Blocking& b) {
  int64_t rows = b.q_block * b.head_rows;
  double kv = b.kv_block * (g.qk_dim + (g.latent ? 0 : g.v_dim)) * g.kv_bytes;
  return kv + rows * b.kv_block * 4.0;
}

// Held for the whole unit: the Q tile and the fp32 output accumulator.
double ResidentBytes(const Geometry& g, const Blocking& b) {
  int64_t rows = b.q_block * b.head_rows;
  return rows * g.qk_dim * g.act_bytes + rows * g.v_dim * 4.0;
}

// Largest blocks that fit, preferring long KV blocks (fewer steps), then
// long query blocks, then all of a group's heads in one unit; a group too
// large for the scratchpad (MLA's 128 heads) is split across units.
Blocking ChooseBlocking(const Geometry& g, int64_t max_q, const LoweringContext& ctx) {
  const double cap = ctx.chip.scratchpad.capacity_bytes;
  for (int64_t heads = g.group; heads >= 1; heads = heads > 1 ? (heads + 1) / 2 : 0) {
    for (int64_t kv : {256, 128, 64, 32, 16}) {
      for (int64_t q : {128, 64, 32, 16, 8, 4, 2, 1}) {
        Blocking b{std::min(q, std::max<int64_t>(1, max_q)), kv, heads};
        if (ctx.buffers() * StageBytes(g, b) + ResidentBytes(g, b) <= cap) return b;
      }
    }
  }
  throw MappingError("attention with head dims " + std::to_string(g.qk_dim) + "/" +
                     std::to_string(g.v_dim) +
                     " does not fit the scratchpad even one "
                     "query head at a time");
}

struct Sequence {
  int64_t q_len, kv_len;
  int64_t q_offset;   // first query token of the sequence in q
  int64_t kv_offset;  // first KV token of the sequence in k/v
  int64_t index;      // position in the batch (its row of the page table)
};

// Visible KV tokens for query block [q0, q0+n) of a sequence whose new tokens
// are the last q_len of kv_len.
std::pair<int64_t, int64_t> VisibleRange(const Geometry& g, const Sequence& s, int64_t q0,
                                         int64_t n) {
  int64_t end = g.causal ? s.kv_len - s.q_len + q0 + n : s.kv_len;
  int64_t begin = 0;
  if (g.window > 0) begin = std::max<int64_t>(0, s.kv_len - s.q_len + q0 - g.window + 1);
  return {begin, std::max(begin, end)};
}

// Query-key pairs actually scored by query rows [q0, q0+n): the FLOPs the
// graph defines, without the masked part of diagonal blocks.
double ScoredPairs(const Geometry& g, const Sequence& s, int64_t q0, int64_t n) {
  double pairs = 0;
  for (int64_t i = q0; i < q0 + n; ++i) {
    auto [begin, end] = VisibleRange(g, s, i, 1);
    pairs += static_cast<double>(end - begin);
  }
  return pairs;
}

}  // namespace

LoweredOp LowerAttention(const v1::Operator& op, const LoweringContext& ctx) {
  const v1::Attention& a = op.attention();
  const v1::Tensor& q = ctx.tensor(op.inputs(0));
  const v1::Tensor& k = ctx.tensor(op.inputs(1));
  const v1::Tensor& out = ctx.tensor(op.outputs(0));

  Geometry g;
  g.latent = a.variant() == v1::ATTENTION_MLA && op.inputs_size() == 2;
  const v1::Tensor& v = g.latent ? k : ctx.tensor(op.inputs(2));
  g.q_heads = a.num_q_heads();
  g.kv_heads = std::max(1, a.num_kv_heads());
  g.group = std::max<int64_t>(1, g.q_heads / g.kv_heads);
  g.qk_dim = g.latent ? a.kv_lora_rank() + a.qk_rope_head_dim() : a.head_dim();
  g.v_dim =
      g.latent ? a.kv_lora_rank() : (a.v_head_dim() > 0 ? a.v_head_dim() : a.head_dim());
  g.act_bytes = DTypeBytes(q.dtype());
  g.kv_bytes = DTypeBytes(k.dtype());
  g.compute_dtype = q.dtype();
  g.causal = a.causal();
  g.window = a.sliding_window();
  g.k_row_bytes = static_cast<int64_t>(g.kv_heads * g.qk_dim * g.kv_bytes);
  g.v_row_bytes = static_cast<int64_t>(g.kv_heads * g.v_dim * DTypeBytes(v.dtype()));

  // A cache tensor is [batch, max_tokens, heads, dim]: sequence i starts at
  // token i·max_tokens. Fresh K/V ([tokens, heads, dim]) hold the sequences
  // back to back.
  const bool cache_layout = k.shape_size() == 4;
  const int64_t cache_tokens = cache_layout ? k.shape(1) : 0;
  std::vector<Sequence> seqs;
  int64_t q_offset = 0, kv_offset = 0;
  for (int i = 0; i < a.q_lens_size(); ++i) {
    int64_t start = cache_layout ? i * cache_tokens : kv_offset;
    seqs.push_back({a.q_lens(i), a.kv_lens(i), q_offset, start, i});
    q_offset += a.q_lens(i);
    kv_offset += a.kv_lens(i);
  }
  int64_t max_q = 1;
  for (const Sequence& s : seqs) max_q = std::max(max_q, s.q_len);
  Blocking b = ChooseBlocking(g, max_q, ctx);
  const int64_t head_blocks = CeilDiv(g.group, b.head_rows);

  const Placement pq = ctx.memory.at(q.name()), pk = ctx.memory.at(k.name()),
                  pv = ctx.memory.at(v.name()), po = ctx.memory.at(out.name());

  // Paged KV cache: a block's tokens come from the pages the block table
  // (page_table.h) scatters over the cache tensor, one piece per page and
  // head, gathered as gather.h says.
  const int64_t page = a.page_size();
  if (page < 0) {
    throw ConfigError("op '" + op.name() + "': Attention.page_size = " +
                      std::to_string(page) + " must be >= 0");
  }
  // A cache is [batch, tokens, ...]: [.., heads, dim], or MLA's latent
  // [.., dim]; its pages hold whole token rows.
  const bool pageable = k.placement() == v1::PLACEMENT_KV_CACHE && k.shape_size() >= 3;
  if (page > 0 && !pageable) {
    throw ConfigError(
        "op '" + op.name() + "': Attention.page_size = " + std::to_string(page) +
        " needs a KV-cache input [batch, tokens, ...], but '" + k.name() +
        "' is not one (" + std::to_string(k.shape_size()) + " dimensions, placement " +
        v1::Placement_Name(k.placement()) + ")");
  }
  std::optional<PageTable> pages;
  if (page > 0) pages.emplace(k.shape(0), k.shape(1), page, ctx.seed);
  const double v_bytes = DTypeBytes(v.dtype());
  // One block of `nt` tokens from `t0` of sequence `seq`, head `h`, of a
  // cache at `base` whose token rows are `row` bytes and heads' slices
  // `head` bytes: its loads on `core`; returns the pieces whose addresses
  // the scalar engine computes.
  auto load_kv = [&](arch::CoreProgram& core, const Placement& place, int64_t row,
                     int64_t head, const Sequence& seq, int64_t t0, int64_t nt, int64_t h,
                     std::vector<Transfer>& loads) -> int64_t {
    if (!pages) {
      loads.push_back(Transfer::Strided(
          place.memory, false,
          place.address + static_cast<uint64_t>((seq.kv_offset + t0) * row + h * head),
          nt, head, row));
      return 0;
    }
    ScatteredPieces p{place.memory, false, head, row, {}};
    for (const PageRun& r : pages->Runs(seq.index, t0, nt)) {
      p.pieces.push_back(
          {place.address +
               static_cast<uint64_t>((r.page * page + r.offset) * row + h * head),
           r.tokens * head});
    }
    return AddScattered(core, p, ctx, loads);
  };

  // Units: (sequence, KV head, head block, query block). Split the KV range
  // when there are fewer units than cores, so decode occupies the chip.
  int64_t units = 0;
  for (const Sequence& s : seqs)
    units += g.kv_heads * head_blocks * CeilDiv(s.q_len, b.q_block);
  int64_t splits = 1;
  if (units < ctx.chip.cores && ctx.options.fused_attention) {
    splits = std::max<int64_t>(1, ctx.chip.cores / std::max<int64_t>(1, units));
  }

  LoweredOp lowered;
  for (int c = 0; c < ctx.chip.cores; ++c) lowered.program.AddCore(c, ctx.buffers());
  int64_t q_tokens = 0;
  for (const Sequence& s : seqs) q_tokens += s.q_len;
  PartialSums sums(po, splits * q_tokens * g.q_heads * g.v_dim * 4, ctx);
  int next = 0;
  double flops = 0;
  const double q_row = g.q_heads * g.qk_dim * g.act_bytes;  // one token's q
  const double o_row = g.q_heads * g.v_dim * g.act_bytes;   // one token's output
  for (const Sequence& s : seqs) {
    for (int64_t h = 0; h < g.kv_heads; ++h) {
      for (int64_t hb = 0; hb < head_blocks; ++hb) {
        const int64_t heads = std::min(b.head_rows, g.group - hb * b.head_rows);
        const int64_t first_head = h * g.group + hb * b.head_rows;
        for (int64_t q0 = 0; q0 < s.q_len; q0 += b.q_block) {
          const int64_t nq = std::min(b.q_block, s.q_len - q0);
          const int64_t rows = nq * heads;
          auto [kv_begin, kv_end] = VisibleRange(g, s, q0, nq);
          flops += ScoredPairs(g, s, q0, nq) * heads * 2.0 * (g.qk_dim + g.v_dim);
          const int64_t blocks = CeilDiv(kv_end - kv_begin, b.kv_block);
          const int64_t per_split =
              CeilDiv(blocks, std::min(splits, std::max<int64_t>(1, blocks)));
          // This unit's query rows: nq tokens × `heads` heads, one run per
          // token (the heads of a group are adjacent).
          const uint64_t q_addr =
              pq.address + static_cast<uint64_t>((s.q_offset + q0) * q_row +
                                                 first_head * g.qk_dim * g.act_bytes);
          const uint64_t o_addr =
              po.address + static_cast<uint64_t>((s.q_offset + q0) * o_row +
                                                 first_head * g.v_dim * g.act_bytes);
          // A split KV range leaves fp32 partial outputs, combined as
          // partial_sums.h says.
          const int64_t parts = blocks > 0 ? CeilDiv(blocks, per_split) : 0;
          const bool partial = parts > 1;
          int64_t block = -1;
          const Transfer o_store =
              Transfer::Strided(po.memory, true, o_addr, nq,
                                static_cast<int64_t>(heads * g.v_dim * g.act_bytes),
                                static_cast<int64_t>(o_row));
          if (partial)
            block = sums.AddBlock(static_cast<int>(parts), rows * g.v_dim, o_store);
          for (int64_t blk0 = 0; blk0 < blocks; blk0 += per_split) {
            arch::CoreProgram& core = lowered.program.cores[next];
            next = (next + 1) % ctx.chip.cores;
            const int64_t blk_end = std::min(blocks, blk0 + per_split);
            for (int64_t blk = blk0; blk < blk_end; ++blk) {
              const int64_t t0 = kv_begin + blk * b.kv_block;
              const int64_t nt = std::min(b.kv_block, kv_end - t0);
              std::vector<Transfer> loads;
              if (blk == blk0) {
                loads.push_back(Transfer::Strided(
                    pq.memory, false, q_addr, nq,
                    static_cast<int64_t>(heads * g.qk_dim * g.act_bytes),
                    static_cast<int64_t>(q_row)));
              }
              int64_t address_pieces = load_kv(
                  core, pk, g.k_row_bytes, static_cast<int64_t>(g.qk_dim * g.kv_bytes), s,
                  t0, nt, h, loads);
              if (!g.latent) {
                address_pieces +=
                    load_kv(core, pv, g.v_row_bytes,
                            static_cast<int64_t>(g.v_dim * v_bytes), s, t0, nt, h, loads);
              }
              const double qk = 2.0 * rows * nt * g.qk_dim,
                           pv_flops = 2.0 * rows * nt * g.v_dim;
              // Online softmax per step: row max, rescale, exp, row sum on
              // the scores, and the rescale of the running output.
              std::vector<ComputePhase> compute{
                  {EngineKind::kTensor,
                   ctx.costs.TensorCycles(rows, nt, g.qk_dim, g.compute_dtype), qk},
                  {EngineKind::kVector,
                   ctx.costs.VectorCycles({"max_reduce", "add", "exp", "sum"},
                                          rows * nt) +
                       ctx.costs.VectorCycles({"mul"}, rows * g.v_dim),
                   4.0 * rows * nt + rows * g.v_dim},
                  {EngineKind::kTensor,
                   ctx.costs.TensorCycles(rows, g.v_dim, nt, g.compute_dtype), pv_flops}};
              std::vector<Transfer> stores;
              if (!ctx.options.fused_attention) {
                // Unfused: the scores go to memory after QKᵀ and come back for
                // the softmax and again for PV (two writes, two reads).
                Transfer s_tile =
                    Transfer::Flat(po.memory, true, po.address,
                                   static_cast<int64_t>(rows * nt * g.act_bytes));
                stores.push_back(s_tile);
                stores.push_back(s_tile);
                Transfer s_read = s_tile;
                s_read.write = false;
                loads.push_back(s_read);
                loads.push_back(s_read);
              }
              if (blk + 1 == blk_end) {
                stores.push_back(
                    partial ? sums.PartialStore(block, static_cast<int>(blk0 / per_split))
                            : o_store);
              }
              core.AddStep(loads, compute, stores, AddressCycles(address_pieces, ctx));
            }
          }
        }
      }
    }
  }
  sums.EmitCombine(lowered.program);
  lowered.flops = flops;
  JsonWriter json;
  json.BeginObject().Key("engine").String("tensor+vector");
  json.Key("form").String(ctx.options.fused_attention ? "fused" : "unfused");
  json.Key("q_block").Int(b.q_block).Key("kv_block").Int(b.kv_block);
  json.Key("heads_per_unit").Int(b.head_rows);
  json.Key("rows_per_unit").Int(b.q_block * b.head_rows).Key("kv_splits").Int(splits);
  // Which engine gathered the KV pages and combined split partials.
  json.Key("kv_page_size").Int(page);
  json.Key("kv_gather").String(page > 0 ? GatherEngineName(ctx) : "none");
  json.Key("reduce").String(splits > 1 ? ReduceEngineName(PlanReduce(ctx)) : "none");
  json.Key("buffers").Int(ctx.buffers()).EndObject();
  lowered.choices_json = json.str();
  return lowered;
}

}  // namespace dsasim::workloads
