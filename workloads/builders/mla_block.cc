// Multi-head latent attention (DeepSeek-V3) of one shard.
//
// The cache holds one latent vector per token, [kv_lora_rank | rope dims],
// shared by all heads; every TP device keeps the whole latent cache (the
// heads, not the latent, are split), which is how MLA runs under TP today.
//
// Two ways to attend:
//   naive (prefill, or decode with mla_absorbed off): decompress the cached
//     latents to per-head K/V with kv_b, then ordinary attention;
//   absorbed (decode, verify, mixed with mla_absorbed): fold W_UK into the
//     query and W_UV into the output (per-head grouped matmuls) and attend
//     over the latent cache directly, as FlashMLA does.
// Both hold the same kv_b weights: [r, h·(nope+v)] naive, or its two halves
// W_UK [h, nope, r] and W_UV [h, r, v] absorbed.
#include <string>

#include "workloads/builders/build_context.h"

namespace dsasim::workloads {

std::string MlaBlock(BuildContext& ctx, const Shard& s, const std::string& h) {
  const ModelSpec& spec = ctx.spec;
  GraphWriter& w = ctx.writer;
  const int64_t t = s.Tokens();
  const int64_t heads = ctx.plan.local_heads;
  const int64_t nope = spec.qk_nope_head_dim;
  const int64_t rope_dim = spec.qk_rope_head_dim;
  const int64_t qk = nope + rope_dim;
  const int64_t vd = spec.v_head_dim;
  const int64_t rank = spec.kv_lora_rank;
  const int64_t latent = rank + rope_dim;
  const int page = ctx.options.kv_page_size;

  auto rope = [&](const std::string& base, const std::string& in) {
    std::string out = Activation(ctx, s, base, ShapeOf(ctx, in));
    v1::Rope* r =
        w.Op(s.Name(base), {in}, {out}, s.LayerIndex(), s.device).mutable_rope();
    r->set_theta(static_cast<float>(spec.rope_theta));
    r->set_rotary_dim(static_cast<int32_t>(rope_dim));
    return out;
  };

  // Queries: low-rank when q_lora_rank > 0. q_a is replicated over TP.
  std::string q;
  if (spec.q_lora_rank > 0) {
    std::string qa = Linear(ctx, s, "attn.q_a_proj", h, spec.hidden, spec.q_lora_rank);
    qa = Norm(ctx, s, "attn.q_a_norm", qa, spec.q_lora_rank);
    q = Linear(ctx, s, "attn.q_b_proj", qa, spec.q_lora_rank, heads * qk);
  } else {
    q = Linear(ctx, s, "attn.q_proj", h, spec.hidden, heads * qk);
  }
  std::string q3 = w.View(s.Name("attn.q_heads"), {t, heads, qk}, ctx.Act(), {q});
  std::string q_rot = rope("attn.q_rope", q3);

  // Latent: the norm covers the kv_lora_rank columns and RoPE the last
  // rope_dim ones; each op is charged over the whole row, a few percent of
  // two small ops.
  std::string kv = Linear(ctx, s, "attn.kv_a_proj", h, spec.hidden, latent);
  kv = Norm(ctx, s, "attn.kv_a_norm", kv, rank);
  std::string kv_rot = rope("attn.kv_rope", kv);
  std::string cache = w.Tensor(s.Name("attn.latent_cache"),
                               {s.batch->Sequences(), s.batch->MaxKv(), latent},
                               ctx.options.kv_dtype, v1::PLACEMENT_KV_CACHE);
  w.Op(s.Name("attn.latent_cache_append"), {kv_rot}, {cache}, s.LayerIndex(), s.device)
      .mutable_kv_cache_append()
      ->set_page_size(page);

  const bool absorbed =
      ctx.options.mla_absorbed && ctx.options.phase != v1::PHASE_PREFILL;
  const bool fresh = s.batch->FreshOnly() && !absorbed;
  auto attention = [&](const std::vector<std::string>& inputs, int64_t out_dim) {
    std::string o = Activation(ctx, s, "attn.sdpa", {t, heads, out_dim});
    v1::Operator& op = w.Op(s.Name("attn.sdpa"), inputs, {o}, s.LayerIndex(), s.device);
    if (fresh) op.add_control_deps(s.Name("attn.latent_cache_append"));
    v1::Attention* a = op.mutable_attention();
    a->set_variant(v1::ATTENTION_MLA);
    a->set_causal(true);
    a->set_num_q_heads(static_cast<int32_t>(heads));
    a->set_num_kv_heads(static_cast<int32_t>(absorbed ? 1 : heads));
    a->set_head_dim(static_cast<int32_t>(qk));
    a->set_v_head_dim(static_cast<int32_t>(vd));
    a->mutable_q_lens()->Add(s.batch->q_lens.begin(), s.batch->q_lens.end());
    a->mutable_kv_lens()->Add(s.batch->kv_lens.begin(), s.batch->kv_lens.end());
    // Only the absorbed attention reads the (paged) latent cache itself;
    // otherwise it reads K and V decompressed from the cache by kv_b_proj,
    // activations that no page table scatters.
    a->set_page_size(absorbed ? page : 0);
    a->set_kv_lora_rank(static_cast<int32_t>(rank));
    a->set_qk_rope_head_dim(static_cast<int32_t>(rope_dim));
    a->set_absorbed(absorbed);
    return o;
  };

  std::string o_flat;
  if (absorbed) {
    std::vector<int64_t> per_head(heads, t);
    std::string q_nope =
        w.View(s.Name("attn.q_nope"), {heads * t, nope}, ctx.Act(), {q_rot});
    std::string q_lat = GroupedLinear(ctx, s, "attn.w_uk", q_nope, per_head, nope, rank);
    std::string q_attn =
        w.View(s.Name("attn.q_latent"), {t, heads, latent}, ctx.Act(), {q_lat, q_rot});
    std::string o = attention({q_attn, cache}, rank);
    std::string o_lat =
        w.View(s.Name("attn.o_latent"), {heads * t, rank}, ctx.Act(), {o});
    std::string o_heads = GroupedLinear(ctx, s, "attn.w_uv", o_lat, per_head, rank, vd);
    o_flat = w.View(s.Name("attn.o_heads"), {t, heads * vd}, ctx.Act(), {o_heads});
  } else {
    // Decompress every attended latent (all new ones when fresh).
    const int64_t rows = fresh ? t : s.batch->KvTokens();
    std::string src = fresh ? kv_rot : cache;
    std::string c = w.View(s.Name("attn.latent_c"), {rows, rank}, ctx.Act(), {src});
    std::string kvb = Linear(ctx, s, "attn.kv_b_proj", c, rank, heads * (nope + vd));
    // K = [k_nope | k_rope]: the rope part is the latent's, shared by heads.
    std::string k =
        w.View(s.Name("attn.k_heads"), {rows, heads, qk}, ctx.Act(), {kvb, src});
    std::string v = w.View(s.Name("attn.v_heads"), {rows, heads, vd}, ctx.Act(), {kvb});
    std::string o = attention({q_rot, k, v}, vd);
    o_flat = w.View(s.Name("attn.o_heads"), {t, heads * vd}, ctx.Act(), {o});
  }
  return Linear(ctx, s, "attn.o_proj", o_flat, heads * vd, spec.hidden);
}

}  // namespace dsasim::workloads
