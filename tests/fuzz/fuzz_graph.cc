// A random operator graph for the simulation fuzzer: every operator kind
// the single-chip lowering handles, in shapes the validator accepts,
// chained through their activations so that the graph has dependencies and
// views. The shapes are small (dimensions up to a few hundred) so that a
// case simulates in milliseconds on any preset.
#include <algorithm>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_generators.h"

namespace dsasim::testing {
namespace {

using Shape = std::vector<int64_t>;

// Sizes that hit tiling boundaries: 1, odd, around powers of two.
constexpr int64_t kDims[] = {8, 1, 2, 3, 16, 17, 31, 64, 100, 128, 129, 256};
constexpr int64_t kHeadDims[] = {64, 8, 16, 32, 128, 24};
constexpr v1::DType kActivationTypes[] = {v1::DTYPE_BF16, v1::DTYPE_FP16, v1::DTYPE_FP32,
                                          v1::DTYPE_FP8_E4M3};
constexpr v1::DType kWeightTypes[] = {
    v1::DTYPE_BF16,     v1::DTYPE_INT8,     v1::DTYPE_INT4, v1::DTYPE_FP4_E2M1,
    v1::DTYPE_FP8_E4M3, v1::DTYPE_FP8_E5M2, v1::DTYPE_FP16, v1::DTYPE_FP32};
constexpr int32_t kPageSizes[] = {0, 16, 1, 3, 64};

class GraphMaker {
 public:
  explicit GraphMaker(FuzzReader& in) : in_(in) {
    g_.set_schema_version(1);
    g_.set_name("fuzz");
    g_.set_num_devices(1);
    g_.mutable_origin()->set_phase(in_.Bool() ? v1::PHASE_DECODE : v1::PHASE_PREFILL);
    g_.mutable_origin()->set_batch(in_.Range(1, 4));
    act_ = in_.Pick(kActivationTypes);
  }

  v1::OperatorGraph Make(int max_ops) {
    const int64_t ops = in_.Range(1, max_ops);
    for (int64_t i = 0; i < ops; ++i) AddOp();
    if (in_.OneIn(8)) RawEdit();
    return std::move(g_);
  }

 private:
  int64_t Dim() { return in_.Pick(kDims); }

  std::string NewTensor(const Shape& shape, v1::DType dtype, v1::Placement placement,
                        v1::Layout layout = v1::LAYOUT_ROW_MAJOR) {
    v1::Tensor* t = g_.add_tensors();
    t->set_name("t" + std::to_string(g_.tensors_size() - 1));
    for (int64_t d : shape) t->add_shape(d);
    t->set_dtype(dtype);
    t->set_placement(placement);
    t->set_layout(layout);
    return t->name();
  }
  std::string Act(const Shape& shape) {
    return NewTensor(shape, act_, v1::PLACEMENT_ACTIVATION);
  }

  const v1::Tensor& Find(const std::string& name) const {
    for (const v1::Tensor& t : g_.tensors()) {
      if (t.name() == name) return t;
    }
    return g_.tensors(0);
  }
  v1::Tensor& Mutable(const std::string& name) {
    for (v1::Tensor& t : *g_.mutable_tensors()) {
      if (t.name() == name) return t;
    }
    return *g_.mutable_tensors(0);
  }
  Shape ShapeOf(const std::string& name) const {
    const v1::Tensor& t = Find(name);
    return Shape(t.shape().begin(), t.shape().end());
  }

  v1::Operator& NewOp(std::vector<std::string> inputs, std::vector<std::string> outputs) {
    v1::Operator* op = g_.add_ops();
    op->set_name("op" + std::to_string(g_.ops_size() - 1));
    for (const std::string& i : inputs) op->add_inputs(i);
    for (const std::string& o : outputs) op->add_outputs(o);
    // Most ops sit in a layer; layer -1 is outside the stack.
    op->set_layer(static_cast<int32_t>(in_.Range(-1, 1)));
    // An op that reads a view depends on the view's producer explicitly.
    for (const std::string& i : inputs) {
      const v1::Tensor& t = Find(i);
      for (const std::string& base : t.view_of()) {
        for (const v1::Operator& other : g_.ops()) {
          if (&other == op) continue;
          for (const std::string& out : other.outputs()) {
            if (out == base) op->add_control_deps(other.name());
          }
        }
      }
    }
    last_ = outputs.front();
    return *op;
  }

  // The previous op's output when it has rank >= `min_rank` (a chain),
  // else a fresh activation of `fresh`.
  std::string Chained(int min_rank, const Shape& fresh) {
    if (!last_.empty() && static_cast<int>(ShapeOf(last_).size()) >= min_rank &&
        !in_.OneIn(4)) {
      return last_;
    }
    return Act(fresh);
  }

  void AddOp() {
    switch (in_.Range(0, 14)) {
      case 0:
      case 1:
        return MatMul();
      case 2:
        return BatchMatMul();
      case 3:
      case 4:
        return Attention();
      case 5:
        return Norm();
      case 6:
        return Softmax();
      case 7:
        return Elementwise();
      case 8:
        return Activation();
      case 9:
        return Rope();
      case 10:
        return Embedding();
      case 11:
        return Moe();
      case 12:
        return KvCache();
      case 13:
        return View();
      default:
        return Collective();
    }
  }

  void MatMul() {
    const bool rank3 = in_.OneIn(4);
    Shape a_shape = rank3 ? Shape{in_.Range(1, 3), Dim(), Dim()} : Shape{Dim(), Dim()};
    const std::string a = Chained(2, a_shape);
    a_shape = ShapeOf(a);
    const int64_t k = a_shape.back();
    const int64_t n = Dim();
    int64_t rows = 1;
    for (size_t i = 0; i + 1 < a_shape.size(); ++i) rows *= a_shape[i];

    const v1::DType wt = in_.Pick(kWeightTypes);
    const bool col_major = in_.OneIn(4);
    Shape b_shape = col_major ? Shape{n, k} : Shape{k, n};
    std::vector<int64_t> group_rows;
    if (in_.OneIn(4)) {
      // Grouped (MoE experts): rows of A dealt to G groups, some empty.
      const int64_t groups = in_.Range(1, 4);
      int64_t left = rows;
      for (int64_t gi = 0; gi + 1 < groups; ++gi) {
        const int64_t take = in_.Range(0, left);
        group_rows.push_back(take);
        left -= take;
      }
      group_rows.push_back(left);
      b_shape.insert(b_shape.begin(), groups);
    }
    const v1::Placement bp =
        in_.OneIn(6) ? v1::PLACEMENT_ACTIVATION : v1::PLACEMENT_WEIGHT;
    const std::string b = NewTensor(
        b_shape, wt, bp, col_major ? v1::LAYOUT_COL_MAJOR : v1::LAYOUT_ROW_MAJOR);
    std::vector<std::string> inputs = {a, b};
    const bool quantized =
        wt == v1::DTYPE_INT8 || wt == v1::DTYPE_INT4 || wt == v1::DTYPE_FP4_E2M1;
    if (quantized && in_.Bool()) {
      static constexpr int64_t kGroups[] = {32, 128, 1, 64, 7};
      const int64_t group = in_.Pick(kGroups);
      Shape s_shape = {(k + group - 1) / group, n};
      if (!group_rows.empty()) s_shape.insert(s_shape.begin(), b_shape.front());
      const std::string scale =
          NewTensor(s_shape, v1::DTYPE_BF16, v1::PLACEMENT_WEIGHT_SCALE);
      v1::Quantization* q = Mutable(b).mutable_quantization();
      q->set_group_size(group);
      q->set_scale_dtype(v1::DTYPE_BF16);
      q->set_scale_tensor(scale);
      inputs.push_back(scale);
    }
    Shape out = a_shape;
    out.back() = n;
    v1::Operator& op = NewOp(inputs, {Act(out)});
    v1::MatMul* mm = op.mutable_matmul();
    for (int64_t r : group_rows) mm->add_group_rows(r);
    if (in_.OneIn(4)) {
      mm->set_has_bias(true);
      op.add_inputs(NewTensor({n}, act_, v1::PLACEMENT_WEIGHT));
    }
  }

  void BatchMatMul() {
    const int64_t batch = in_.Range(1, 8), m = Dim(), k = Dim(), n = Dim();
    const bool col_major = in_.OneIn(3);
    const std::string a = Act({batch, m, k});
    const std::string b =
        NewTensor(col_major ? Shape{batch, n, k} : Shape{batch, k, n}, act_,
                  v1::PLACEMENT_ACTIVATION,
                  col_major ? v1::LAYOUT_COL_MAJOR : v1::LAYOUT_ROW_MAJOR);
    NewOp({a, b}, {Act({batch, m, n})}).mutable_batch_matmul();
  }

  void Attention() {
    static constexpr v1::AttentionVariant kVariants[] = {
        v1::ATTENTION_GQA, v1::ATTENTION_MHA, v1::ATTENTION_MQA, v1::ATTENTION_MLA};
    const v1::AttentionVariant variant = in_.Pick(kVariants);
    int64_t kv_heads = variant == v1::ATTENTION_MQA ? 1 : in_.Pick({1, 2, 4});
    const int64_t group = variant == v1::ATTENTION_MHA ? 1 : in_.Pick({1, 2, 4, 8});
    const int64_t q_heads = kv_heads * group;
    const int64_t head_dim = in_.Pick(kHeadDims);
    const int64_t v_dim = in_.OneIn(4) ? in_.Pick(kHeadDims) : head_dim;
    const bool causal = !in_.OneIn(4);

    // Sequences: decode (one new token each), prefill (all new) or mixed.
    const int64_t seqs = in_.Range(1, 4);
    const int mode = static_cast<int>(in_.Range(0, 2));
    std::vector<int64_t> q_lens, kv_lens;
    int64_t q_total = 0, kv_total = 0, kv_max = 0;
    for (int64_t s = 0; s < seqs; ++s) {
      const int64_t kv = in_.Range(1, mode == 1 ? 64 : 300);
      int64_t q = mode == 0 ? 1 : mode == 1 ? kv : in_.Range(1, kv);
      if (!causal && in_.OneIn(4)) q = in_.Range(1, 16);
      q = causal ? std::min(q, kv) : q;
      q_lens.push_back(q);
      kv_lens.push_back(kv);
      q_total += q;
      kv_total += kv;
      kv_max = std::max(kv_max, kv);
    }
    // K/V fresh from the projections [tokens, heads, dim], or a cache
    // [sequences, capacity, heads, dim] that pages may scatter.
    const bool cached = mode != 1 || in_.Bool();
    const int32_t page = cached ? in_.Pick(kPageSizes) : 0;
    const v1::DType kv_type = in_.Bool() ? act_ : in_.Pick(kActivationTypes);
    auto kv_tensor = [&](int64_t heads, int64_t dim) {
      if (!cached) return Act({kv_total, heads, dim});
      return NewTensor({seqs, kv_max, heads, dim}, kv_type, v1::PLACEMENT_KV_CACHE);
    };

    std::vector<std::string> inputs;
    Shape out;
    v1::Attention a;
    a.set_variant(variant);
    a.set_causal(causal);
    a.set_num_q_heads(static_cast<int32_t>(q_heads));
    a.set_num_kv_heads(static_cast<int32_t>(kv_heads));
    a.set_head_dim(static_cast<int32_t>(head_dim));
    if (v_dim != head_dim || in_.Bool()) a.set_v_head_dim(static_cast<int32_t>(v_dim));
    if (variant == v1::ATTENTION_MLA && in_.Bool()) {
      // The latent cache: one vector per token serves as K and V.
      const int64_t rank = in_.Pick({64, 16, 32, 128}), rope = in_.Pick({16, 0, 8});
      a.set_kv_lora_rank(static_cast<int32_t>(rank));
      a.set_qk_rope_head_dim(static_cast<int32_t>(rope));
      a.set_absorbed(in_.Bool());
      const int64_t q_dim = a.absorbed() ? rank + rope : head_dim;
      inputs = {
          Act({q_total, q_heads, q_dim}),
          cached ? NewTensor({seqs, kv_max, rank + rope}, kv_type, v1::PLACEMENT_KV_CACHE)
                 : Act({kv_total, rank + rope})};
      out = {q_total, q_heads, a.absorbed() ? rank : v_dim};
    } else {
      if (variant == v1::ATTENTION_MLA) {
        a.set_kv_lora_rank(static_cast<int32_t>(in_.Pick({64, 16})));
        a.set_qk_rope_head_dim(static_cast<int32_t>(in_.Pick({16, 0})));
      }
      inputs = {Act({q_total, q_heads, head_dim}), kv_tensor(kv_heads, head_dim),
                kv_tensor(kv_heads, v_dim)};
      out = {q_total, q_heads, v_dim};
    }
    for (size_t s = 0; s < q_lens.size(); ++s) {
      a.add_q_lens(q_lens[s]);
      a.add_kv_lens(kv_lens[s]);
    }
    if (in_.OneIn(4)) a.set_sliding_window(in_.Range(1, 64));
    a.set_page_size(page);
    *NewOp(inputs, {Act(out)}).mutable_attention() = a;
  }

  void Norm() {
    const std::string x = Chained(1, {Dim(), Dim()});
    v1::Norm* n = NewOp({x}, {Act(ShapeOf(x))}).mutable_norm();
    n->set_kind(in_.Bool() ? v1::NORM_RMS : v1::NORM_LAYER);
    n->set_epsilon(1e-5f);
  }

  void Softmax() {
    const std::string x = Chained(1, {Dim(), Dim()});
    NewOp({x}, {Act(ShapeOf(x))}).mutable_softmax();
  }

  void Elementwise() {
    static constexpr v1::ElementwiseKind kKinds[] = {
        v1::ELEMENTWISE_ADD, v1::ELEMENTWISE_MUL, v1::ELEMENTWISE_SCALE,
        v1::ELEMENTWISE_COPY};
    const v1::ElementwiseKind kind = in_.Pick(kKinds);
    const std::string x = Chained(1, {Dim(), Dim()});
    const Shape shape = ShapeOf(x);
    std::vector<std::string> inputs = {x};
    if (kind == v1::ELEMENTWISE_ADD || kind == v1::ELEMENTWISE_MUL) {
      // The other operand: the same shape, or one that broadcasts.
      switch (in_.Range(0, 2)) {
        case 0:
          inputs.push_back(Act(shape));
          break;
        case 1:
          inputs.push_back(NewTensor({shape.back()}, act_, v1::PLACEMENT_WEIGHT));
          break;
        default:
          inputs.push_back(Act({1, shape.back()}));
          break;
      }
      if (in_.Bool()) std::swap(inputs[0], inputs[1]);
    }
    // Numpy broadcasting of the operands, as the validator computes it.
    Shape out;
    for (const std::string& name : inputs) {
      const Shape s = ShapeOf(name);
      if (s.size() > out.size()) out.insert(out.begin(), s.size() - out.size(), 1);
      const size_t off = out.size() - s.size();
      for (size_t d = 0; d < s.size(); ++d) out[off + d] = std::max(out[off + d], s[d]);
    }
    NewOp(inputs, {Act(out)}).mutable_elementwise()->set_kind(kind);
  }

  void Activation() {
    static constexpr v1::ActivationKind kKinds[] = {
        v1::ACTIVATION_SILU, v1::ACTIVATION_GELU, v1::ACTIVATION_RELU,
        v1::ACTIVATION_SWIGLU, v1::ACTIVATION_GEGLU};
    const v1::ActivationKind kind = in_.Pick(kKinds);
    const bool gated = kind == v1::ACTIVATION_SWIGLU || kind == v1::ACTIVATION_GEGLU;
    if (gated && in_.Bool()) {
      // One input holding gate and up: [.., 2F] -> [.., F].
      const int64_t rows = Dim(), f = Dim();
      const std::string x = Act({rows, 2 * f});
      const std::string y = Act({rows, f});
      NewOp({x}, {y}).mutable_activation()->set_kind(kind);
      return;
    }
    const std::string x = Chained(1, {Dim(), Dim()});
    std::vector<std::string> inputs = {x};
    if (gated) inputs.push_back(Act(ShapeOf(x)));
    NewOp(inputs, {Act(ShapeOf(x))}).mutable_activation()->set_kind(kind);
  }

  void Rope() {
    const int64_t heads = in_.Range(1, 8), dim = in_.Pick(kHeadDims);
    const std::string x = Act({Dim(), heads, dim});
    v1::Rope* r = NewOp({x}, {Act(ShapeOf(x))}).mutable_rope();
    r->set_theta(10000.0f);
    r->set_rotary_dim(static_cast<int32_t>(in_.Bool() ? 0 : dim / 2 / 2 * 2));
  }

  void Embedding() {
    const int64_t vocab = in_.Pick({1000, 1, 7, 32000}), hidden = Dim();
    const int64_t tokens = in_.Range(1, 64);
    const std::string table = NewTensor({vocab, hidden}, act_, v1::PLACEMENT_WEIGHT);
    const Shape ids_shape = in_.Bool() ? Shape{tokens} : Shape{in_.Range(1, 4), tokens};
    const std::string ids =
        NewTensor(ids_shape, v1::DTYPE_INT32, v1::PLACEMENT_ACTIVATION);
    Shape out = ids_shape;
    out.push_back(hidden);
    std::vector<std::string> inputs = {table, ids};
    if (in_.Bool()) std::swap(inputs[0], inputs[1]);
    NewOp(inputs, {Act(out)}).mutable_embedding();
  }

  // Router, dispatch and combine of one MoE layer, as the builder wires
  // them (the expert matmuls are MatMul()'s grouped case).
  void Moe() {
    const int64_t tokens = in_.Range(1, 32), hidden = Dim();
    const int64_t experts = in_.Range(1, 8), top_k = in_.Range(1, experts);
    const std::string logits = Act({tokens, experts});
    const std::string topk =
        NewTensor({tokens, top_k}, v1::DTYPE_INT32, v1::PLACEMENT_ACTIVATION);
    v1::MoeRouter* router = NewOp({logits}, {topk}).mutable_moe_router();
    router->set_num_experts(static_cast<int32_t>(experts));
    router->set_top_k(static_cast<int32_t>(top_k));

    std::vector<int64_t> per_expert(experts, 0);
    int64_t sent = 0;
    for (int64_t t = 0; t < tokens * top_k; ++t) {
      ++per_expert[in_.Range(0, experts - 1)];
      ++sent;
    }
    const std::string h = Act({tokens, hidden});
    const std::string routed = Act({sent, hidden});
    v1::MoeDispatch* d = NewOp({h, topk}, {routed}).mutable_moe_dispatch();
    d->set_num_experts(static_cast<int32_t>(experts));
    d->set_top_k(static_cast<int32_t>(top_k));
    d->set_capacity_factor(in_.Bool() ? 0.0f : 1.25f);
    for (int64_t n : per_expert) d->add_tokens_per_expert(n);

    NewOp({routed, topk}, {Act({tokens, hidden})})
        .mutable_moe_combine()
        ->set_top_k(static_cast<int32_t>(top_k));
  }

  void KvCache() {
    const int64_t seqs = in_.Range(1, 4), capacity = in_.Range(1, 300);
    const int64_t heads = in_.Pick({1, 2, 8}), dim = in_.Pick(kHeadDims);
    const int32_t page = in_.Pick(kPageSizes);
    const int64_t tokens = in_.Range(1, capacity);
    const Shape cache_shape = {seqs, capacity, heads, dim};
    if (in_.Bool()) {
      const std::string cache = NewTensor(cache_shape, act_, v1::PLACEMENT_KV_CACHE);
      NewOp({cache}, {Act({seqs * tokens, heads, dim})})
          .mutable_kv_cache_read()
          ->set_page_size(page);
    } else {
      const std::string rows = Act({seqs * tokens, heads, dim});
      const std::string cache = NewTensor(cache_shape, act_, v1::PLACEMENT_KV_CACHE);
      NewOp({rows}, {cache}).mutable_kv_cache_append()->set_page_size(page);
    }
  }

  // A view of the previous output (heads split from a projection), read by
  // a following op.
  void View() {
    const int64_t heads = in_.Pick({1, 2, 4}), dim = in_.Pick(kHeadDims);
    const std::string base = Chained(2, {Dim(), heads * dim});
    const Shape shape = ShapeOf(base);
    Shape viewed = shape;
    if (shape.back() % heads == 0) {
      viewed.back() = shape.back() / heads;
      viewed.insert(viewed.end() - 1, heads);
    }
    const std::string view = Act(viewed);
    Mutable(view).add_view_of(base);
    const std::string out = Act(viewed);
    v1::Operator& op = NewOp({view}, {out});
    op.mutable_elementwise()->set_kind(v1::ELEMENTWISE_COPY);
  }

  void Collective() {
    static constexpr v1::CollectiveKind kKinds[] = {
        v1::COLLECTIVE_ALL_REDUCE, v1::COLLECTIVE_ALL_GATHER,
        v1::COLLECTIVE_REDUCE_SCATTER, v1::COLLECTIVE_ALL_TO_ALL,
        v1::COLLECTIVE_BROADCAST};
    const std::string x = Chained(1, {Dim(), Dim()});
    v1::Collective* c = NewOp({x}, {Act(ShapeOf(x))}).mutable_collective();
    c->set_kind(in_.Pick(kKinds));
    c->add_group(0);
  }

  // One edit the generator would not make: the validator must reject the
  // graph, or everything after it must cope.
  void RawEdit() {
    if (g_.ops_size() == 0) return;
    v1::Operator* op = g_.mutable_ops(static_cast<int>(in_.Range(0, g_.ops_size() - 1)));
    v1::Tensor* t =
        g_.mutable_tensors(static_cast<int>(in_.Range(0, g_.tensors_size() - 1)));
    switch (in_.Range(0, 7)) {
      case 0:
        if (t->shape_size() > 0) {
          t->set_shape(static_cast<int>(in_.Range(0, t->shape_size() - 1)),
                       in_.Pick({0, 1, 2, 3, 5}));
        }
        break;
      case 1:
        t->clear_shape();
        break;
      case 2:
        if (op->inputs_size() > 0) op->mutable_inputs()->RemoveLast();
        break;
      case 3:
        op->add_inputs(t->name());
        break;
      case 4:
        t->set_dtype(in_.Pick(kWeightTypes));
        t->set_placement(static_cast<v1::Placement>(in_.Range(1, 4)));
        break;
      case 5:
        t->set_layout(v1::LAYOUT_COL_MAJOR);
        break;
      case 6:
        op->add_control_deps(
            g_.ops(static_cast<int>(in_.Range(0, g_.ops_size() - 1))).name());
        break;
      default:
        op->set_device(static_cast<int32_t>(in_.Range(0, 1)));
        g_.set_num_devices(static_cast<int32_t>(in_.Range(1, 2)));
        break;
    }
  }

  FuzzReader& in_;
  v1::OperatorGraph g_;
  v1::DType act_;
  std::string last_;
};

}  // namespace

v1::OperatorGraph FuzzGraph(FuzzReader& in, int max_ops) {
  return GraphMaker(in).Make(max_ops);
}

}  // namespace dsasim::testing
