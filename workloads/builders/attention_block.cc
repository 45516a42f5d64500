// Llama-style attention (MHA / GQA / MQA) of one shard: q/k/v projections,
// RoPE, KV-cache append, scaled dot-product attention, output projection.
#include <string>

#include "workloads/builders/build_context.h"

namespace dsasim::workloads {
namespace {

v1::AttentionVariant VariantFor(int64_t q_heads, int64_t kv_heads) {
  // By the heads one device holds: Llama-3-8B at TP 8 keeps 4 query heads
  // and one KV head per device, which is MQA as far as its kernel goes.
  if (q_heads == kv_heads) return v1::ATTENTION_MHA;
  if (kv_heads == 1) return v1::ATTENTION_MQA;
  return v1::ATTENTION_GQA;
}

}  // namespace

std::string AttentionBlock(BuildContext& ctx, const Shard& s, const std::string& h) {
  const ModelSpec& spec = ctx.spec;
  GraphWriter& w = ctx.writer;
  const int64_t t = s.Tokens();
  const int64_t heads = ctx.plan.local_heads;
  const int64_t kv_heads = ctx.plan.local_kv_heads;
  const int64_t hd = spec.head_dim;
  const bool bias = spec.attention_bias;
  const int page = ctx.options.kv_page_size;

  std::string q = Linear(ctx, s, "attn.q_proj", h, spec.hidden, heads * hd, bias);
  std::string k = Linear(ctx, s, "attn.k_proj", h, spec.hidden, kv_heads * hd, bias);
  std::string v = Linear(ctx, s, "attn.v_proj", h, spec.hidden, kv_heads * hd, bias);
  if (spec.qk_norm) {
    // OLMo-2 normalizes the whole q and k projections. Under TP the norm
    // statistics would need a tiny all-reduce, which we leave out.
    q = Norm(ctx, s, "attn.q_norm", q, heads * hd);
    k = Norm(ctx, s, "attn.k_norm", k, kv_heads * hd);
  }
  std::string q3 = w.View(s.Name("attn.q_heads"), {t, heads, hd}, ctx.Act(), {q});
  std::string k3 = w.View(s.Name("attn.k_heads"), {t, kv_heads, hd}, ctx.Act(), {k});
  std::string v3 = w.View(s.Name("attn.v_heads"), {t, kv_heads, hd}, ctx.Act(), {v});

  auto rope = [&](const std::string& base, const std::string& in, int64_t n_heads) {
    std::string out = Activation(ctx, s, base, {t, n_heads, hd});
    v1::Rope* r =
        w.Op(s.Name(base), {in}, {out}, s.LayerIndex(), s.device).mutable_rope();
    r->set_theta(static_cast<float>(spec.rope_theta));
    return out;
  };
  std::string q_rot = rope("attn.q_rope", q3, heads);
  std::string k_rot = rope("attn.k_rope", k3, kv_heads);

  // The cache holds every sequence's cached + new tokens; shorter sequences
  // of a mixed batch use part of it (Attention.kv_lens says how much).
  const std::vector<int64_t> cache_shape = {s.batch->Sequences(), s.batch->MaxKv(),
                                            kv_heads, hd};
  auto append = [&](const std::string& base, const std::string& rows) {
    std::string cache =
        w.Tensor(s.Name(base), cache_shape, ctx.options.kv_dtype, v1::PLACEMENT_KV_CACHE);
    w.Op(s.Name(base + "_append"), {rows}, {cache}, s.LayerIndex(), s.device)
        .mutable_kv_cache_append()
        ->set_page_size(page);
    return cache;
  };
  std::string k_cache = append("attn.k_cache", k_rot);
  std::string v_cache = append("attn.v_cache", v3);

  // A fresh prompt attends over its own new K/V straight from the
  // projections; anything with cached tokens reads the cache.
  const bool fresh = s.batch->FreshOnly();
  std::string o = Activation(ctx, s, "attn.sdpa", {t, heads, hd});
  v1::Operator& op =
      w.Op(s.Name("attn.sdpa"), {q_rot, fresh ? k_rot : k_cache, fresh ? v3 : v_cache},
           {o}, s.LayerIndex(), s.device);
  if (fresh) {
    // The cache writes are not inputs then, but the step is not over
    // before they are: attention waits for them (and so does the layer).
    op.add_control_deps(s.Name("attn.k_cache_append"));
    op.add_control_deps(s.Name("attn.v_cache_append"));
  }
  v1::Attention* a = op.mutable_attention();
  a->set_variant(VariantFor(heads, kv_heads));
  a->set_causal(true);
  a->set_num_q_heads(static_cast<int32_t>(heads));
  a->set_num_kv_heads(static_cast<int32_t>(kv_heads));
  a->set_head_dim(static_cast<int32_t>(hd));
  a->set_v_head_dim(static_cast<int32_t>(hd));
  a->mutable_q_lens()->Add(s.batch->q_lens.begin(), s.batch->q_lens.end());
  a->mutable_kv_lens()->Add(s.batch->kv_lens.begin(), s.batch->kv_lens.end());
  a->set_sliding_window(spec.SlidingWindowForLayer(s.layer));
  a->set_page_size(fresh ? 0 : page);

  std::string o2 = w.View(s.Name("attn.o_heads"), {t, heads * hd}, ctx.Act(), {o});
  return Linear(ctx, s, "attn.o_proj", o2, heads * hd, spec.hidden);
}

}  // namespace dsasim::workloads
