#include "workloads/lowering/attention_lowering.h"

#include <algorithm>
#include <vector>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "workloads/graph/dtype.h"

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
  // KV-cache row layout: [token][kv_head][dim]; one head's row is a run.
  int64_t kv_row_stride_bytes;
};

struct Blocking {
  int64_t q_block;   // query tokens per unit
  int64_t kv_block;  // KV tokens per step
};

// Scratchpad bytes of one pipeline stage of a fused unit.
double StageBytes(const Geometry& g, const Blocking& b) {
  int64_t rows = b.q_block * g.group;
  double kv = b.kv_block * (g.qk_dim + g.v_dim) * g.kv_bytes;
  double scores = rows * b.kv_block * 4.0;
  return kv + scores;
}

double ResidentBytes(const Geometry& g, const Blocking& b) {
  int64_t rows = b.q_block * g.group;
  return rows * g.qk_dim * g.act_bytes + rows * g.v_dim * 4.0;  // Q tile + fp32 O accumulator
}

Blocking ChooseBlocking(const Geometry& g, int64_t max_q, const LoweringContext& ctx) {
  const double cap = ctx.chip.scratchpad.capacity_bytes;
  for (int64_t kv : {256, 128, 64, 32, 16}) {
    for (int64_t q : {128, 64, 32, 16, 8, 4, 2, 1}) {
      Blocking b{std::min(q, std::max<int64_t>(1, max_q)), kv};
      if (ctx.buffers() * StageBytes(g, b) + ResidentBytes(g, b) <= cap) return b;
    }
  }
  throw MappingError("attention with head dims " + std::to_string(g.qk_dim) + "/" +
                     std::to_string(g.v_dim) + " and " + std::to_string(g.group) +
                     " query heads per KV head does not fit the scratchpad");
}

struct Sequence {
  int64_t q_len, kv_len, q_offset;  // q_offset: first query row of the sequence
  int64_t kv_index;                 // position in the batch (KV-cache row block)
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

}  // namespace

LoweredOp LowerAttention(const v1::Operator& op, const LoweringContext& ctx) {
  const v1::Attention& a = op.attention();
  const v1::Tensor& q = ctx.tensor(op.inputs(0));
  const v1::Tensor& k = ctx.tensor(op.inputs(1));
  const bool mla_latent = a.variant() == v1::ATTENTION_MLA && op.inputs_size() == 2;
  const v1::Tensor& v = mla_latent ? k : ctx.tensor(op.inputs(2));
  const v1::Tensor& out = ctx.tensor(op.outputs(0));

  Geometry g;
  g.q_heads = a.num_q_heads();
  g.kv_heads = std::max(1, a.num_kv_heads());
  g.group = std::max<int64_t>(1, g.q_heads / g.kv_heads);
  g.qk_dim = mla_latent ? a.kv_lora_rank() + a.qk_rope_head_dim() : a.head_dim();
  g.v_dim = mla_latent ? a.kv_lora_rank() : (a.v_head_dim() > 0 ? a.v_head_dim() : a.head_dim());
  g.act_bytes = DTypeBytes(q.dtype());
  g.kv_bytes = DTypeBytes(k.dtype());
  g.compute_dtype = q.dtype();
  g.causal = a.causal();
  g.window = a.sliding_window();
  g.kv_row_stride_bytes = static_cast<int64_t>(g.kv_heads * g.qk_dim * g.kv_bytes);

  std::vector<Sequence> seqs;
  int64_t offset = 0;
  for (int i = 0; i < a.q_lens_size(); ++i) {
    seqs.push_back({a.q_lens(i), a.kv_lens(i), offset, i});
    offset += a.q_lens(i);
  }
  int64_t max_q = 1;
  for (const Sequence& s : seqs) max_q = std::max(max_q, s.q_len);
  Blocking b = ChooseBlocking(g, max_q, ctx);

  const Placement pq = ctx.memory.at(q.name()), pk = ctx.memory.at(k.name()),
                  pv = ctx.memory.at(v.name()), po = ctx.memory.at(out.name());
  // Bytes of one sequence's slice of the cache for one token (all heads).
  const int64_t kv_seq_tokens = k.shape_size() >= 2 ? k.shape(1) : 1;

  // Units: (sequence, kv head, query block). Split the KV range when there
  // are fewer units than cores, so decode occupies the chip.
  int64_t units = 0;
  for (const Sequence& s : seqs) units += g.kv_heads * CeilDiv(s.q_len, b.q_block);
  int64_t splits = 1;
  if (units < ctx.chip.cores && ctx.options.fused_attention) {
    splits = std::max<int64_t>(1, ctx.chip.cores / std::max<int64_t>(1, units));
  }

  LoweredOp lowered;
  for (int c = 0; c < ctx.chip.cores; ++c) lowered.program.AddCore(c, ctx.buffers());
  int next = 0;
  double flops = 0;
  for (const Sequence& s : seqs) {
    for (int64_t h = 0; h < g.kv_heads; ++h) {
      for (int64_t q0 = 0; q0 < s.q_len; q0 += b.q_block) {
        int64_t nq = std::min(b.q_block, s.q_len - q0);
        int64_t rows = nq * g.group;
        auto [kv_begin, kv_end] = VisibleRange(g, s, q0, nq);
        int64_t blocks = CeilDiv(kv_end - kv_begin, b.kv_block);
        int64_t per_split = CeilDiv(blocks, std::min(splits, std::max<int64_t>(1, blocks)));
        for (int64_t blk0 = 0; blk0 < blocks; blk0 += per_split) {
          arch::CoreProgram& core = lowered.program.cores[next];
          next = (next + 1) % ctx.chip.cores;
          int64_t blk_end = std::min(blocks, blk0 + per_split);
          bool partial = per_split < blocks;
          for (int64_t blk = blk0; blk < blk_end; ++blk) {
            int64_t t0 = kv_begin + blk * b.kv_block;
            int64_t nt = std::min(b.kv_block, kv_end - t0);
            uint64_t cache_row =
                static_cast<uint64_t>((s.kv_index * kv_seq_tokens + t0) * g.kv_row_stride_bytes +
                                      h * g.qk_dim * g.kv_bytes);
            std::vector<Transfer> loads;
            if (blk == blk0) {
              loads.push_back(Transfer::Flat(
                  pq.memory, false,
                  pq.address + static_cast<uint64_t>((s.q_offset + q0) * g.q_heads * g.qk_dim *
                                                     g.act_bytes),
                  static_cast<int64_t>(rows * g.qk_dim * g.act_bytes)));
            }
            loads.push_back(Transfer::Strided(pk.memory, false, pk.address + cache_row, nt,
                                              static_cast<int64_t>(g.qk_dim * g.kv_bytes),
                                              g.kv_row_stride_bytes));
            if (!mla_latent) {
              loads.push_back(Transfer::Strided(pv.memory, false, pv.address + cache_row, nt,
                                                static_cast<int64_t>(g.v_dim * g.kv_bytes),
                                                g.kv_row_stride_bytes));
            }
            double qk = 2.0 * rows * nt * g.qk_dim, pv_flops = 2.0 * rows * nt * g.v_dim;
            flops += qk + pv_flops;
            std::vector<ComputePhase> compute{
                {EngineKind::kTensor, ctx.costs.TensorCycles(rows, nt, g.qk_dim, g.compute_dtype), qk},
                {EngineKind::kVector,
                 ctx.costs.VectorCycles({"max_reduce", "add", "exp", "sum", "fma"}, rows * nt),
                 5.0 * rows * nt},
                {EngineKind::kTensor, ctx.costs.TensorCycles(rows, g.v_dim, nt, g.compute_dtype),
                 pv_flops}};
            std::vector<Transfer> stores;
            if (!ctx.options.fused_attention) {
              // Unfused: the scores go to memory after QKᵀ and come back for
              // the softmax and again for PV (two writes, two reads).
              Transfer s_tile = Transfer::Flat(po.memory, true, po.address,
                                               static_cast<int64_t>(rows * nt * g.act_bytes));
              stores.push_back(s_tile);
              stores.push_back(s_tile);
              Transfer s_read = s_tile;
              s_read.write = false;
              loads.push_back(s_read);
              loads.push_back(s_read);
            }
            if (blk + 1 == blk_end) {
              // Partial outputs of a split KV range carry fp32 values and are
              // combined by reduce-add writes.
              double out_bytes = partial ? 4.0 : g.act_bytes;
              stores.push_back(Transfer::Flat(
                  po.memory, true,
                  po.address + static_cast<uint64_t>((s.q_offset + q0) * g.q_heads * g.v_dim *
                                                     g.act_bytes),
                  static_cast<int64_t>(rows * g.v_dim * out_bytes)));
            }
            core.AddStep(loads, compute, stores);
          }
        }
      }
    }
  }
  lowered.flops = flops;
  JsonWriter json;
  json.BeginObject().Key("engine").String("tensor+vector");
  json.Key("form").String(ctx.options.fused_attention ? "fused" : "unfused");
  json.Key("q_block").Int(b.q_block).Key("kv_block").Int(b.kv_block);
  json.Key("rows_per_unit").Int(b.q_block * g.group).Key("kv_splits").Int(splits);
  json.Key("buffers").Int(ctx.buffers()).EndObject();
  lowered.choices_json = json.str();
  return lowered;
}

}  // namespace dsasim::workloads
