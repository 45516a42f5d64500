#include "workloads/graph/op_shape_checks.h"

#include <algorithm>
#include <string>
#include <vector>

#include "workloads/graph/dtype.h"
#include "workloads/graph/graph_errors.h"

namespace dsasim::workloads {
namespace {

using Shape = std::vector<int64_t>;

Shape ShapeOf(const v1::Tensor& t) { return Shape(t.shape().begin(), t.shape().end()); }

std::string Str(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

std::string Num(int64_t v) { return std::to_string(v); }

// Checks of one op: resolves its tensors and words failures uniformly.
class OpChecker {
 public:
  OpChecker(const v1::Operator& op, const GraphIndex& index, std::string_view origin)
      : op_(op), index_(index), origin_(origin) {}

  [[noreturn]] void Fail(const std::string& what) const { FailOp(origin_, op_, what); }

  void Require(bool ok, const std::string& what) const {
    if (!ok) Fail(what);
  }

  void Inputs(int min, int max = 1 << 30) const {
    int n = op_.inputs_size();
    if (n < min || n > max) {
      Fail("has " + Num(n) + " inputs, expects " +
           (min == max ? Num(min) : "at least " + Num(min)));
    }
  }
  void Outputs(int min, int max = 1 << 30) const {
    int n = op_.outputs_size();
    if (n < min || n > max) {
      Fail("has " + Num(n) + " outputs, expects " +
           (min == max ? Num(min) : "at least " + Num(min)));
    }
  }

  const v1::Tensor& In(int i) const { return *index_.FindTensor(op_.inputs(i)); }
  const v1::Tensor& Out(int i) const { return *index_.FindTensor(op_.outputs(i)); }

  void Rank(const v1::Tensor& t, int min, std::string_view role) const {
    if (t.shape_size() < min) {
      Fail(std::string(role) + " '" + t.name() + "' has shape " + ShapeString(t) +
           ", needs rank >= " + Num(min));
    }
  }

  void SameShape(const v1::Tensor& out, const Shape& expected,
                 std::string_view why) const {
    if (ShapeOf(out) != expected) {
      Fail("output '" + out.name() + "' has shape " + ShapeString(out) + ", expected " +
           Str(expected) + " (" + std::string(why) + ")");
    }
  }

  // The output of a shape-preserving op equals its first input.
  void PreservesShape() const {
    Inputs(1);
    Outputs(1);
    SameShape(Out(0), ShapeOf(In(0)), "same shape as input '" + In(0).name() + "'");
  }

  void TopK(int top_k, int num_experts) const {
    Require(num_experts >= 1, "num_experts is " + Num(num_experts) + ", needs >= 1");
    Require(top_k >= 1 && top_k <= num_experts,
            "top_k " + Num(top_k) + " is outside [1, num_experts = " + Num(num_experts) +
                "]");
  }

  const v1::Operator& op() const { return op_; }

 private:
  const v1::Operator& op_;
  const GraphIndex& index_;
  std::string_view origin_;
};

int64_t Rows(const v1::Tensor& t) {
  int64_t rows = 1;
  for (int i = 0; i + 1 < t.shape_size(); ++i) rows *= t.shape(i);
  return rows;
}

void CheckMatMul(const OpChecker& c) {
  const v1::MatMul& mm = c.op().matmul();
  c.Inputs(2);
  c.Outputs(1);
  const v1::Tensor& a = c.In(0);
  const v1::Tensor& b = c.In(1);
  bool grouped = mm.group_rows_size() > 0;
  c.Rank(a, 2, "A");
  int b_rank = grouped ? 3 : 2;
  c.Require(b.shape_size() == b_rank,
            "B '" + b.name() + "' has shape " + ShapeString(b) + ", expected rank " +
                Num(b_rank) + (grouped ? " ([G, K, N] for a grouped matmul)" : ""));
  bool col_major = b.layout() == v1::LAYOUT_COL_MAJOR;
  int64_t k_b = b.shape(b_rank - (col_major ? 1 : 2));
  int64_t n = b.shape(b_rank - (col_major ? 2 : 1));
  int64_t k_a = a.shape(a.shape_size() - 1);
  c.Require(k_a == k_b, "K of A '" + a.name() + "' (" + Num(k_a) + ", shape " +
                            ShapeString(a) + ") != K of B '" + b.name() + "' (" +
                            Num(k_b) + ", shape " + ShapeString(b) + ")");
  if (grouped) {
    c.Require(b.shape(0) == mm.group_rows_size(),
              "B '" + b.name() + "' holds " + Num(b.shape(0)) +
                  " groups but group_rows has " + Num(mm.group_rows_size()) + " entries");
    int64_t sum = 0;
    for (int64_t rows : mm.group_rows()) {
      c.Require(rows >= 0, "negative entry in group_rows");
      sum += rows;
      // Checked as it grows so the sum cannot overflow.
      c.Require(sum <= Rows(a), "group_rows sum to more than the " + Num(Rows(a)) +
                                    " rows of A '" + a.name() + "'");
    }
    c.Require(sum == Rows(a), "group_rows sum to " + Num(sum) + " but A '" + a.name() +
                                  "' has " + Num(Rows(a)) + " rows");
  }
  Shape expected = ShapeOf(a);
  expected.back() = n;
  c.SameShape(c.Out(0), expected, "A rows x N of B");
}

void CheckBatchMatMul(const OpChecker& c) {
  c.Inputs(2, 2);
  c.Outputs(1);
  const v1::Tensor& a = c.In(0);
  const v1::Tensor& b = c.In(1);
  c.Rank(a, 3, "A");
  c.Require(b.shape_size() == a.shape_size(),
            "A " + ShapeString(a) + " and B " + ShapeString(b) + " differ in rank");
  int r = a.shape_size();
  for (int i = 0; i + 2 < r; ++i) {
    c.Require(a.shape(i) == b.shape(i), "batch dimensions of A " + ShapeString(a) +
                                            " and B " + ShapeString(b) + " differ");
  }
  bool col_major = b.layout() == v1::LAYOUT_COL_MAJOR;
  int64_t k_b = b.shape(r - (col_major ? 1 : 2));
  int64_t n = b.shape(r - (col_major ? 2 : 1));
  c.Require(a.shape(r - 1) == k_b,
            "K of A " + ShapeString(a) + " != K of B " + ShapeString(b));
  Shape expected = ShapeOf(a);
  expected.back() = n;
  c.SameShape(c.Out(0), expected, "batch x M x N");
}

void CheckHeads(const OpChecker& c, const v1::Tensor& t, std::string_view role,
                int64_t heads, int64_t dim) {
  c.Rank(t, 2, role);
  int r = t.shape_size();
  c.Require(t.shape(r - 2) == heads && t.shape(r - 1) == dim,
            std::string(role) + " '" + t.name() + "' has shape " + ShapeString(t) +
                ", expected [.., " + Num(heads) + ", " + Num(dim) +
                "] from the op's fields");
}

void CheckAttention(const OpChecker& c) {
  const v1::Attention& at = c.op().attention();
  bool mla = at.variant() == v1::ATTENTION_MLA;
  c.Require(at.variant() != v1::ATTENTION_VARIANT_UNSPECIFIED &&
                v1::AttentionVariant_IsValid(at.variant()),
            "attention variant is unspecified or unknown");
  c.Inputs(mla ? 2 : 3);
  c.Outputs(1);
  c.Require(at.num_q_heads() >= 1 && at.num_kv_heads() >= 1 && at.head_dim() >= 1,
            "num_q_heads, num_kv_heads and head_dim must be >= 1");
  c.Require(at.v_head_dim() >= 0 && at.page_size() >= 0 && at.sliding_window() >= 0,
            "v_head_dim, page_size and sliding_window must be >= 0");
  c.Require(at.q_lens_size() >= 1 && at.q_lens_size() == at.kv_lens_size(),
            "q_lens has " + Num(at.q_lens_size()) + " entries and kv_lens " +
                Num(at.kv_lens_size()) + "; both need one per sequence");
  int64_t q_total = 0;
  for (int i = 0; i < at.q_lens_size(); ++i) {
    int64_t q = at.q_lens(i), kv = at.kv_lens(i);
    c.Require(q >= 0 && kv >= 0 && q <= (int64_t{1} << 56),
              "negative q_lens/kv_lens entry at sequence " + Num(i));
    c.Require(!at.causal() || kv >= q,
              "sequence " + Num(i) + ": kv_len " + Num(kv) + " < q_len " + Num(q) +
                  " in causal attention (the new tokens attend to themselves)");
    q_total += q;
    // A q tensor's rows cannot exceed its element bound; stop before overflow.
    c.Require(q_total <= (int64_t{1} << 56), "q_lens sum is implausibly large");
  }
  int64_t v_dim = at.v_head_dim() > 0 ? at.v_head_dim() : at.head_dim();
  const v1::Tensor& q = c.In(0);
  c.Require(
      q.shape_size() == 3 && q.shape(0) == q_total && q.shape(1) == at.num_q_heads(),
      "q '" + q.name() + "' has shape " + ShapeString(q) + ", expected [" + Num(q_total) +
          " (sum of q_lens), " + Num(at.num_q_heads()) + ", dim]");
  if (mla) {
    c.Require(at.kv_lora_rank() >= 1 && at.qk_rope_head_dim() >= 0,
              "MLA attention needs kv_lora_rank >= 1");
    int64_t latent = int64_t{at.kv_lora_rank()} + at.qk_rope_head_dim();
    // Absorbed MLA queries live in the latent space; unabsorbed ones have
    // head_dim (nope + rope) columns.
    c.Require(q.shape(2) == at.head_dim() || q.shape(2) == latent,
              "q '" + q.name() + "' head dim " + Num(q.shape(2)) +
                  " is neither head_dim " + Num(at.head_dim()) +
                  " nor kv_lora_rank + qk_rope_head_dim " + Num(latent));
    if (c.op().inputs_size() == 2) {
      const v1::Tensor& kv = c.In(1);
      c.Rank(kv, 1, "latent cache");
      c.Require(
          kv.shape(kv.shape_size() - 1) == latent,
          "latent cache '" + kv.name() + "' has shape " + ShapeString(kv) +
              ", last dim should be kv_lora_rank + qk_rope_head_dim = " + Num(latent));
    } else {
      CheckHeads(c, c.In(1), "k", at.num_kv_heads(), at.head_dim());
      CheckHeads(c, c.In(2), "v", at.num_kv_heads(), v_dim);
    }
    return;
  }
  c.Require(at.num_q_heads() % at.num_kv_heads() == 0,
            "num_q_heads " + Num(at.num_q_heads()) +
                " is not a multiple of num_kv_heads " + Num(at.num_kv_heads()));
  c.Require(at.variant() != v1::ATTENTION_MHA || at.num_q_heads() == at.num_kv_heads(),
            "MHA needs num_q_heads == num_kv_heads");
  c.Require(at.variant() != v1::ATTENTION_MQA || at.num_kv_heads() == 1,
            "MQA needs num_kv_heads == 1");
  c.Require(q.shape(2) == at.head_dim(), "q '" + q.name() + "' has shape " +
                                             ShapeString(q) + ", head_dim is " +
                                             Num(at.head_dim()));
  CheckHeads(c, c.In(1), "k", at.num_kv_heads(), at.head_dim());
  CheckHeads(c, c.In(2), "v", at.num_kv_heads(), v_dim);
  c.SameShape(c.Out(0), {q_total, at.num_q_heads(), v_dim},
              "[sum(q_lens), num_q_heads, v_head_dim]");
}

void CheckElementwise(const OpChecker& c) {
  auto kind = c.op().elementwise().kind();
  c.Require(kind != v1::ELEMENTWISE_KIND_UNSPECIFIED && v1::ElementwiseKind_IsValid(kind),
            "elementwise kind is unspecified or unknown");
  c.Inputs(kind == v1::ELEMENTWISE_ADD || kind == v1::ELEMENTWISE_MUL ? 2 : 1);
  c.Outputs(1);
  // Numpy broadcasting: align trailing dimensions; 1 stretches.
  Shape result;
  for (int i = 0; i < c.op().inputs_size(); ++i) {
    Shape s = ShapeOf(c.In(i));
    if (s.size() > result.size())
      result.insert(result.begin(), s.size() - result.size(), 1);
    size_t off = result.size() - s.size();
    for (size_t d = 0; d < s.size(); ++d) {
      int64_t& r = result[off + d];
      if (r == s[d] || s[d] == 1) continue;
      c.Require(r == 1, "input '" + c.In(i).name() + "' shape " + ShapeString(c.In(i)) +
                            " does not broadcast with the other inputs");
      r = s[d];
    }
  }
  c.SameShape(c.Out(0), result, "the broadcast of the inputs");
}

void CheckActivation(const OpChecker& c) {
  auto kind = c.op().activation().kind();
  c.Require(kind != v1::ACTIVATION_KIND_UNSPECIFIED && v1::ActivationKind_IsValid(kind),
            "activation kind is unspecified or unknown");
  bool gated = kind == v1::ACTIVATION_SWIGLU || kind == v1::ACTIVATION_GEGLU;
  if (!gated || c.op().inputs_size() >= 2) {
    c.Inputs(1, gated ? 2 : 1);
    c.Outputs(1);
    for (int i = 0; i < c.op().inputs_size(); ++i) {
      c.SameShape(c.Out(0), ShapeOf(c.In(i)),
                  "same shape as input '" + c.In(i).name() + "'");
    }
    return;
  }
  // One input holding gate and up halves: [.., 2F] -> [.., F].
  c.Inputs(1, 1);
  c.Outputs(1);
  c.Rank(c.In(0), 1, "input");
  Shape expected = ShapeOf(c.In(0));
  c.Require(expected.back() % 2 == 0,
            "gated activation input '" + c.In(0).name() + "' has an odd last dimension");
  expected.back() /= 2;
  c.SameShape(c.Out(0), expected, "half the last dim of the gate+up input");
}

void CheckEmbedding(const OpChecker& c) {
  c.Inputs(2, 2);
  c.Outputs(1);
  int table_at = c.In(0).placement() == v1::PLACEMENT_WEIGHT ? 0 : 1;
  const v1::Tensor& table = c.In(table_at);
  const v1::Tensor& ids = c.In(1 - table_at);
  c.Require(table.placement() == v1::PLACEMENT_WEIGHT && table.shape_size() == 2,
            "needs a weight table [vocab, hidden] among its inputs");
  Shape expected = ShapeOf(ids);
  expected.push_back(table.shape(1));
  c.SameShape(c.Out(0), expected, "ids shape + [hidden]");
}

void CheckCollective(const OpChecker& c) {
  const v1::Collective& col = c.op().collective();
  c.Require(col.kind() != v1::COLLECTIVE_KIND_UNSPECIFIED &&
                v1::CollectiveKind_IsValid(col.kind()),
            "collective kind is unspecified or unknown");
  c.Require(col.group_size() >= 1, "collective group is empty");
  c.Inputs(1);
  c.Outputs(1);
  int64_t in = TensorElements(c.In(0)), out = TensorElements(c.Out(0));
  int64_t g = col.group_size();
  // Compared by division so that a large group cannot overflow the product.
  bool ok = out == in;
  std::string expected = Num(in);
  if (col.kind() == v1::COLLECTIVE_ALL_GATHER) {
    ok = out % g == 0 && out / g == in;
    expected = Num(in) + " x " + Num(g);
  }
  if (col.kind() == v1::COLLECTIVE_REDUCE_SCATTER) {
    ok = in % g == 0 && in / g == out;
    expected = Num(in) + " / " + Num(g);
  }
  c.Require(ok, "output '" + c.Out(0).name() + "' has " + Num(out) +
                    " elements, expected " + expected + " for a " + Num(g) + "-device " +
                    v1::CollectiveKind_Name(col.kind()));
  if (col.send_bytes_size() == 0) return;
  c.Require(col.kind() == v1::COLLECTIVE_ALL_TO_ALL,
            "send_bytes is for COLLECTIVE_ALL_TO_ALL only");
  c.Require(col.send_bytes_size() == g, "send_bytes has " + Num(col.send_bytes_size()) +
                                            " entries for a " + Num(g) + "-device group");
  int64_t total = 0;
  for (int64_t b : col.send_bytes()) total += b;  // each ≤ 2^40 by its range
  c.Require(total <= TensorBytes(c.In(0)),
            "send_bytes add up to " + Num(total) + " B, more than input '" +
                c.In(0).name() + "' holds (" + Num(TensorBytes(c.In(0))) + " B)");
}

}  // namespace

void CheckOpShapes(const v1::Operator& op, const GraphIndex& index,
                   std::string_view origin) {
  OpChecker c(op, index, origin);
  switch (op.kind_case()) {
    case v1::Operator::kMatmul:
      return CheckMatMul(c);
    case v1::Operator::kBatchMatmul:
      return CheckBatchMatMul(c);
    case v1::Operator::kAttention:
      return CheckAttention(c);
    case v1::Operator::kNorm: {
      auto kind = op.norm().kind();
      c.Require(kind != v1::NORM_KIND_UNSPECIFIED && v1::NormKind_IsValid(kind),
                "norm kind is unspecified or unknown");
      return c.PreservesShape();
    }
    case v1::Operator::kSoftmax:
      return c.PreservesShape();
    case v1::Operator::kElementwise:
      return CheckElementwise(c);
    case v1::Operator::kActivation:
      return CheckActivation(c);
    case v1::Operator::kRope: {
      c.PreservesShape();
      int64_t dim =
          c.In(0).shape_size() > 0 ? c.In(0).shape(c.In(0).shape_size() - 1) : 0;
      c.Require(op.rope().rotary_dim() >= 0 && op.rope().rotary_dim() <= dim &&
                    op.rope().rotary_dim() % 2 == 0,
                "rotary_dim " + Num(op.rope().rotary_dim()) +
                    " must be even and within the head dim " + Num(dim));
      return;
    }
    case v1::Operator::kEmbedding:
      return CheckEmbedding(c);
    case v1::Operator::kMoeRouter:
      c.TopK(op.moe_router().top_k(), op.moe_router().num_experts());
      c.Inputs(1);
      c.Rank(c.In(0), 1, "router logits");
      c.Require(c.In(0).shape(c.In(0).shape_size() - 1) == op.moe_router().num_experts(),
                "router logits '" + c.In(0).name() + "' shape " + ShapeString(c.In(0)) +
                    " should end in num_experts = " + Num(op.moe_router().num_experts()));
      return;
    case v1::Operator::kMoeDispatch: {
      const v1::MoeDispatch& d = op.moe_dispatch();
      c.TopK(d.top_k(), d.num_experts());
      // The token rows to permute come first (the routing indices after).
      c.Inputs(1);
      c.Require(d.capacity_factor() >= 0, "capacity_factor is negative");
      for (int64_t n : d.tokens_per_expert()) {
        c.Require(n >= 0, "negative entry in tokens_per_expert");
      }
      return;
    }
    case v1::Operator::kMoeCombine:
      c.Require(op.moe_combine().top_k() >= 1, "top_k must be >= 1");
      return;
    case v1::Operator::kKvCacheRead:
      c.Require(op.kv_cache_read().page_size() >= 0, "page_size is negative");
      c.Inputs(1);
      return;
    case v1::Operator::kKvCacheAppend: {
      c.Require(op.kv_cache_append().page_size() >= 0, "page_size is negative");
      c.Inputs(1);
      c.Outputs(1);
      const v1::Tensor& rows = c.In(0);
      const v1::Tensor& cache = c.Out(0);
      c.Require(
          rows.shape_size() >= 1 && cache.shape_size() >= 1 &&
              rows.shape(rows.shape_size() - 1) == cache.shape(cache.shape_size() - 1),
          "new rows '" + rows.name() + "' " + ShapeString(rows) + " and cache '" +
              cache.name() + "' " + ShapeString(cache) + " differ in the last dim");
      return;
    }
    case v1::Operator::kCollective:
      return CheckCollective(c);
    case v1::Operator::kSendRecv:
      c.Require(op.send_recv().src_device() != op.send_recv().dst_device(),
                "src_device == dst_device");
      return c.PreservesShape();
    case v1::Operator::KIND_NOT_SET:
      break;
  }
}

}  // namespace dsasim::workloads
