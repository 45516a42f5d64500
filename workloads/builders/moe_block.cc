// Routed mixture-of-experts FFN of one shard (Mixtral; DeepSeek-V3 with its
// shared experts), with expert parallelism.
//
// Per device: router logits → top-k → dispatch (permute rows by expert) →
// [EP AllToAll] → grouped gate+up matmul over the local experts → gated
// activation → grouped down matmul → [EP AllToAll back] → combine. Shared
// experts run as a dense FFN beside it; their partial sum is added before
// the single TP reduction the caller inserts.
//
// Modelling choices:
//   - Expert gate and up are one grouped matmul [E, hidden, 2F] (the fused
//     w13 of vLLM and SGLang); the activation splits it.
//   - Loads come from the routing model (routing.h) per source EP group;
//     every device of a TP group holds 1/tp of each of its experts' columns.
//   - EP AllToAll payloads are padded to the largest (source, destination)
//     share, so every device sends and receives ep × that many rows. Static
//     buffers are what EP kernels use for decode, and the slowest pair sets
//     the time anyway; the expert matmuls process only the real rows (a
//     view selecting them).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "workloads/builders/build_context.h"
#include "workloads/graph/dtype.h"

namespace dsasim::workloads {

namespace {

// Rows each EP group sends to each expert: [group][expert].
std::vector<std::vector<int64_t>> LayerLoads(const BuildContext& ctx, int64_t layer) {
  const std::vector<double> p = ctx.popularity.ForLayer(layer);
  std::vector<std::vector<int64_t>> loads;
  // Each group's rounding leftovers start where the previous group's
  // assignments ended, so that together they spread evenly (one group, as
  // on one chip, starts at expert 0).
  int64_t first_tie = 0;
  for (const BatchLayout& g : ctx.groups) {
    loads.push_back(RouteTokens(g.Tokens(), ctx.spec.experts_per_token, p,
                                ctx.options.capacity_factor, first_tie));
    first_tie = (first_tie + g.Tokens() * ctx.spec.experts_per_token) %
                static_cast<int64_t>(p.size());
  }
  return loads;
}

int64_t Sum(const std::vector<int64_t>& v, size_t begin, size_t end) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(begin),
                         v.begin() + static_cast<std::ptrdiff_t>(end), int64_t{0});
}

}  // namespace

std::string MoeBlock(BuildContext& ctx, const Shard& s, const std::string& h) {
  const ModelSpec& spec = ctx.spec;
  GraphWriter& w = ctx.writer;
  const ParallelPlan& plan = ctx.plan;
  const int64_t t = s.Tokens();
  const int64_t hidden = spec.hidden;
  const int64_t experts = spec.experts;
  const int64_t local = experts / plan.ep;
  const int64_t f = spec.moe_intermediate / plan.tp;
  const auto top_k = static_cast<int32_t>(spec.experts_per_token);
  const int layer = s.LayerIndex();

  const std::vector<std::vector<int64_t>> loads = LayerLoads(ctx, s.layer);
  const std::vector<int64_t>& mine = loads[s.ep_rank];
  const int64_t sent = Sum(mine, 0, mine.size());

  std::string logits = Linear(ctx, s, "moe.gate", h, hidden, experts);
  std::string topk =
      w.Tensor(s.Name("moe.topk"), {t, top_k}, v1::DTYPE_INT32, v1::PLACEMENT_ACTIVATION);
  v1::MoeRouter* router =
      w.Op(s.Name("moe.router"), {logits}, {topk}, layer, s.device).mutable_moe_router();
  router->set_num_experts(static_cast<int32_t>(experts));
  router->set_top_k(top_k);

  std::string routed = Activation(ctx, s, "moe.dispatch", {sent, hidden});
  v1::MoeDispatch* d = w.Op(s.Name("moe.dispatch"), {h, topk}, {routed}, layer, s.device)
                           .mutable_moe_dispatch();
  d->set_num_experts(static_cast<int32_t>(experts));
  d->set_top_k(top_k);
  d->set_capacity_factor(static_cast<float>(ctx.options.capacity_factor));
  d->mutable_tokens_per_expert()->Add(mine.begin(), mine.end());

  // Rows the local experts receive, from every source group.
  std::vector<int64_t> group_rows(local, 0);
  const size_t first = static_cast<size_t>(s.ep_rank * local);
  for (const std::vector<int64_t>& src : loads) {
    for (int64_t e = 0; e < local; ++e) group_rows[e] += src[first + e];
  }
  const int64_t received = Sum(group_rows, 0, group_rows.size());

  std::string expert_in = routed;
  int64_t padded = 0;
  std::vector<int> ep_group = plan.EpGroup(s.stage, s.tp_rank, s.replica);
  // The buffers are padded to the largest exchange (a static shape, as
  // capacity-padded kernels allocate), but only the routed rows cross the
  // links: `rows_to[g]` to group member g.
  const double row_bytes = static_cast<double>(hidden) * DTypeBytes(ctx.Act());
  auto all_to_all = [&](const std::string& base, const std::string& in,
                        const std::vector<int64_t>& rows_to) {
    std::string out = Activation(ctx, s, base, {padded, hidden});
    v1::Collective* c =
        w.Op(s.Name(base), {in}, {out}, layer, s.device).mutable_collective();
    c->set_kind(v1::COLLECTIVE_ALL_TO_ALL);
    c->mutable_group()->Add(ep_group.begin(), ep_group.end());
    for (int64_t rows : rows_to) {
      c->add_send_bytes(
          static_cast<int64_t>(std::ceil(static_cast<double>(rows) * row_bytes)));
    }
    return out;
  };
  // Dispatch: my rows for each group's experts; combine: back to each group
  // what came from it.
  std::vector<int64_t> dispatch_rows(plan.ep), combine_rows(plan.ep);
  for (int g = 0; g < plan.ep; ++g) {
    dispatch_rows[g] = Sum(mine, g * local, (g + 1) * local);
    combine_rows[g] = Sum(loads[g], first, first + local);
  }
  if (plan.ep > 1) {
    int64_t largest = 0;
    for (const std::vector<int64_t>& src : loads) {
      for (int g = 0; g < plan.ep; ++g) {
        largest = std::max(largest, Sum(src, g * local, (g + 1) * local));
      }
    }
    padded = largest * plan.ep;
    std::string send =
        w.View(s.Name("moe.dispatch_send"), {padded, hidden}, ctx.Act(), {routed});
    std::string recv = all_to_all("moe.dispatch_a2a", send, dispatch_rows);
    expert_in = w.View(s.Name("moe.expert_rows"), {received, hidden}, ctx.Act(), {recv});
  }

  std::string w13 =
      GroupedLinear(ctx, s, "moe.experts.w13", expert_in, group_rows, hidden, 2 * f);
  std::string act = Activation(ctx, s, "moe.experts.act", {received, f});
  w.Op(s.Name("moe.experts.act"), {w13}, {act}, layer, s.device)
      .mutable_activation()
      ->set_kind(GatedActivation(spec));
  std::string expert_out =
      GroupedLinear(ctx, s, "moe.experts.w2", act, group_rows, f, hidden);

  std::string back = expert_out;
  if (plan.ep > 1) {
    std::string send =
        w.View(s.Name("moe.combine_send"), {padded, hidden}, ctx.Act(), {expert_out});
    std::string recv = all_to_all("moe.combine_a2a", send, combine_rows);
    back = w.View(s.Name("moe.combine_rows"), {sent, hidden}, ctx.Act(), {recv});
  }
  std::string out = Activation(ctx, s, "moe.combine", {t, hidden});
  w.Op(s.Name("moe.combine"), {back, topk}, {out}, layer, s.device)
      .mutable_moe_combine()
      ->set_top_k(top_k);

  if (spec.shared_experts > 0) {
    std::string shared =
        MlpBlock(ctx, s, "moe.shared", h, spec.shared_experts * spec.moe_intermediate);
    out = Add(ctx, s, "moe.add_shared", out, shared);
  }
  return out;
}

}  // namespace dsasim::workloads
