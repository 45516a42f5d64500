// BuildGraph: per data-parallel replica and per pipeline microbatch, the
// embedding, the layer stack (per device shard), pipeline transfers, final
// norm and LM head.
//
// Microbatches are emitted one after another, each whole (embedding to LM
// head) before the next. The executor's streams issue in topological order
// with ready ops by ascending index, so every stage's stream runs
// microbatch 0, then 1, ... (GPipe order), and stage s starts microbatch
// k+1 as soon as it has sent microbatch k on, while stage s+1 works on k.
#include "workloads/builders/graph_builder.h"

#include <string>
#include <vector>

#include "sim/error.h"
#include "workloads/builders/build_context.h"

namespace dsasim::workloads {
namespace {

// Residual stream of each (ep_rank, tp_rank) device of the current stage.
using Streams = std::vector<std::vector<std::string>>;

// Quantized tables are rare for embeddings and LM heads (a gather of packed
// int4 rows, logits at 4 bits): they stay in the activation dtype then.
v1::DType TableDType(const BuildOptions& o) {
  return NeedsScales(o.weight_dtype) ? o.activation_dtype : o.weight_dtype;
}

int64_t LocalVocab(const ModelSpec& spec, int tp) {
  // Vocab-parallel tables, padded up to a multiple of TP as Megatron does.
  return (spec.vocab + tp - 1) / tp;
}

Streams Embed(BuildContext& ctx) {
  Streams x(ctx.plan.ep, std::vector<std::string>(ctx.plan.tp));
  for (int e = 0; e < ctx.plan.ep; ++e) {
    for (int t = 0; t < ctx.plan.tp; ++t) {
      Shard s = ctx.MakeShard(-1, e, t);
      const int64_t tokens = s.Tokens();
      std::string ids = ctx.writer.Tensor(s.Name("token_ids"), {tokens}, v1::DTYPE_INT32,
                                          v1::PLACEMENT_ACTIVATION);
      std::string table =
          ctx.writer.SharedTensor(s.WeightName("embed_tokens.w"),
                                  {LocalVocab(ctx.spec, ctx.plan.tp), ctx.spec.hidden},
                                  TableDType(ctx.options), v1::PLACEMENT_WEIGHT);
      std::string out = Activation(ctx, s, "embed_tokens", {tokens, ctx.spec.hidden});
      ctx.writer.Op(s.Name("embed_tokens"), {table, ids}, {out}, -1, s.device)
          .mutable_embedding();
      x[e][t] = TpReduce(ctx, s, "embed_tokens", out);
    }
  }
  return x;
}

// One residual sub-block: x + post(f(pre(x))), with the TP reduction.
std::string SubBlock(BuildContext& ctx, const Shard& s, const std::string& name,
                     const std::string& x, bool attention) {
  const ModelSpec& spec = ctx.spec;
  const bool pre = spec.norm_placement != NormPlacement::kPost;
  const bool post = spec.norm_placement != NormPlacement::kPre;
  std::string h = pre ? Norm(ctx, s, name + "_norm", x, spec.hidden) : x;
  std::string y;
  if (attention) {
    y = spec.IsMla() ? MlaBlock(ctx, s, h) : AttentionBlock(ctx, s, h);
  } else {
    y = spec.IsMoeLayer(s.layer) ? MoeBlock(ctx, s, h)
                                 : MlpBlock(ctx, s, "mlp", h, spec.intermediate);
  }
  y = TpReduce(ctx, s, name + "_out", y);
  if (post) y = Norm(ctx, s, name + "_post_norm", y, spec.hidden);
  return Add(ctx, s, name + "_residual", x, y);
}

// Moves each stream from `from` to the stage of `layer`.
void SendToStage(BuildContext& ctx, int64_t layer, int from, Streams& x) {
  for (int e = 0; e < ctx.plan.ep; ++e) {
    for (int t = 0; t < ctx.plan.tp; ++t) {
      Shard dst = ctx.MakeShard(layer, e, t);
      int src = ctx.plan.Device(from, e, t, ctx.replica);
      std::string out = Activation(ctx, dst, "recv", ShapeOf(ctx, x[e][t]));
      v1::SendRecv* sr =
          ctx.writer.Op(dst.Name("send_recv"), {x[e][t]}, {out}, dst.LayerIndex(), src)
              .mutable_send_recv();
      sr->set_src_device(src);
      sr->set_dst_device(dst.device);
      x[e][t] = out;
    }
  }
}

void Head(BuildContext& ctx, const Streams& x, const std::string& tied_table) {
  const ModelSpec& spec = ctx.spec;
  const int last = ctx.plan.pp - 1;
  const int64_t vocab = LocalVocab(spec, ctx.plan.tp);
  for (int e = 0; e < ctx.plan.ep; ++e) {
    for (int t = 0; t < ctx.plan.tp; ++t) {
      Shard s = ctx.MakeShard(-1, e, t);
      s.stage = last;
      s.device = ctx.plan.Device(last, e, t, ctx.replica);
      s.suffix = ctx.plan.Suffix(s.device);
      std::string n = Norm(ctx, s, "final_norm", x[e][t], spec.hidden);
      // Only the rows that produce tokens reach the head (the last prompt
      // token in prefill, every draft position in verify).
      const int64_t rows = s.batch->LogitRows();
      std::string last_rows = n;
      if (rows != s.Tokens()) {
        last_rows = ctx.writer.View(s.Name("final_norm.logit_rows"), {rows, spec.hidden},
                                    ctx.Act(), {n});
      }
      std::string logits = Activation(ctx, s, "lm_head", {rows, vocab});
      std::vector<std::string> inputs = {last_rows};
      // Tied weights read the embedding table transposed; with PP the head
      // lives on another device and keeps its own copy.
      if (spec.tied_embeddings && ctx.plan.pp == 1) {
        std::string table = tied_table + s.suffix;
        ctx.writer.MutableTensor(table).set_layout(v1::LAYOUT_COL_MAJOR);
        inputs.push_back(table);
      } else {
        inputs.push_back(
            ctx.writer.SharedTensor(s.WeightName("lm_head.w"), {spec.hidden, vocab},
                                    TableDType(ctx.options), v1::PLACEMENT_WEIGHT));
      }
      ctx.writer.Op(s.Name("lm_head"), inputs, {logits}, -1, s.device).mutable_matmul();
      if (ctx.plan.tp > 1) {
        std::string all =
            Activation(ctx, s, "lm_head.all_gather", {rows, vocab * ctx.plan.tp});
        std::vector<int> group = ctx.plan.TpGroup(last, e, ctx.replica);
        v1::Collective* c =
            ctx.writer.Op(s.Name("lm_head.all_gather"), {logits}, {all}, -1, s.device)
                .mutable_collective();
        c->set_kind(v1::COLLECTIVE_ALL_GATHER);
        c->mutable_group()->Add(group.begin(), group.end());
      }
    }
  }
}

std::string GraphName(const ModelSpec& spec, const BuildOptions& o) {
  std::string name =
      spec.id + "." + v1::Phase_Name(o.phase).substr(6) + ".b" + std::to_string(o.batch);
  if (o.seq_len > 0) name += ".s" + std::to_string(o.seq_len);
  if (o.context_len > 0) name += ".c" + std::to_string(o.context_len);
  if (o.decode_batch > 0) name += ".db" + std::to_string(o.decode_batch);
  if (o.draft_tokens > 0) name += ".k" + std::to_string(o.draft_tokens);
  name += ".tp" + std::to_string(o.tensor_parallel) + ".pp" +
          std::to_string(o.pipeline_parallel) + ".ep" + std::to_string(o.expert_parallel);
  // Only when used, so that names of graphs without them stay as they were.
  if (o.data_parallel > 1) name += ".dp" + std::to_string(o.data_parallel);
  if (o.microbatches > 1) name += ".mb" + std::to_string(o.microbatches);
  return name;
}

// One microbatch of one replica (ctx.groups, ctx.replica, ctx.microbatch)
// from its token ids to its logits.
void BuildMicrobatch(BuildContext& ctx) {
  const ParallelPlan& plan = ctx.plan;
  Streams x = Embed(ctx);
  int stage = 0;
  for (int64_t layer = 0; layer < plan.layers; ++layer) {
    const int next = plan.StageOfLayer(layer);
    if (next != stage) {
      SendToStage(ctx, layer, stage, x);
      stage = next;
    }
    for (int e = 0; e < plan.ep; ++e) {
      for (int t = 0; t < plan.tp; ++t) {
        Shard s = ctx.MakeShard(layer, e, t);
        std::string h = SubBlock(ctx, s, "attn", x[e][t], /*attention=*/true);
        x[e][t] = SubBlock(ctx, s, "ffn", h, /*attention=*/false);
      }
    }
  }
  Head(ctx, x, "embed_tokens.w");
}

}  // namespace

v1::OperatorGraph BuildGraph(const ModelSpec& spec, const BuildOptions& options) {
  if (options.weight_group_size < 1) {
    throw ConfigError("option weight_group_size = " +
                      std::to_string(options.weight_group_size) + " must be >= 1");
  }
  if (options.kv_page_size < 0) {
    throw ConfigError("option kv_page_size = " + std::to_string(options.kv_page_size) +
                      " must be >= 0");
  }
  const ParallelPlan plan = MakeParallelPlan(spec, options);
  const BatchLayout all = MakeBatchLayout(options);

  v1::OperatorGraph graph;
  graph.set_schema_version(1);
  graph.set_name(GraphName(spec, options));
  graph.set_num_devices(plan.Devices());
  v1::GraphOrigin* origin = graph.mutable_origin();
  origin->set_model(spec.id);
  origin->set_phase(options.phase);
  // The global batch, over all replicas: tokens/s is their aggregate.
  origin->set_batch(options.batch);
  origin->set_seq_len(options.seq_len);
  origin->set_context_len(options.context_len);

  GraphWriter writer(graph, options.phase);
  BuildContext ctx{spec,
                   options,
                   plan,
                   writer,
                   {},
                   spec.family == ModelFamily::kDense
                       ? ExpertPopularity(RoutingModel::kUniform, 0, 0, {}, 1)
                       : LoadExpertPopularity(options, spec.experts),
                   0,
                   ""};
  const std::vector<BatchLayout> replicas =
      SplitEqually(all, plan.dp, "data_parallel", "the batch");
  for (int r = 0; r < plan.dp; ++r) {
    const std::vector<BatchLayout> microbatches =
        SplitEqually(replicas[r], plan.microbatches, "microbatches",
                     plan.dp > 1 ? "each data-parallel replica" : "the batch");
    for (int k = 0; k < plan.microbatches; ++k) {
      ctx.replica = r;
      ctx.microbatch = plan.MicrobatchSuffix(k);
      ctx.groups = SplitSequences(microbatches[k], plan.ep);
      BuildMicrobatch(ctx);
    }
  }
  return graph;
}

}  // namespace dsasim::workloads
