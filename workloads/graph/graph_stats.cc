#include "workloads/graph/graph_stats.h"

#include <algorithm>
#include <map>
#include <set>

#include "workloads/graph/dtype.h"
#include "workloads/graph/op_kind.h"

namespace dsasim::workloads {
namespace {

double Elements(const v1::Tensor& t) { return static_cast<double>(TensorElements(t)); }

// Keys scored by the queries at positions a-1 .. b-1 (each sees its own
// position + 1 keys), each capped at `window` (0: no cap). Closed form, so a
// 128k-token prefill costs nothing to count.
double CausalPairs(double a, double b, double window) {
  if (b < a) return 0;
  auto sum = [](double lo, double hi) { return (lo + hi) * (hi - lo + 1) / 2; };
  if (window <= 0 || b <= window) return sum(a, b);
  if (a >= window) return (b - a + 1) * window;
  return sum(a, window) + (b - window) * window;
}

double AttentionFlops(const v1::Attention& at) {
  double dims = at.head_dim() + (at.v_head_dim() > 0 ? at.v_head_dim() : at.head_dim());
  double window = static_cast<double>(at.sliding_window());
  double pairs = 0;
  for (int i = 0; i < at.q_lens_size(); ++i) {
    double q = static_cast<double>(at.q_lens(i));
    double kv = static_cast<double>(at.kv_lens(i));
    if (at.causal()) {
      pairs += CausalPairs(kv - q + 1, kv, window);
    } else {
      pairs += q * (window > 0 ? std::min(kv, window) : kv);
    }
  }
  return 2 * pairs * at.num_q_heads() * dims;
}

double ActivationFlopsPerElement(v1::ActivationKind kind) {
  switch (kind) {
    case v1::ACTIVATION_RELU:
      return 1;
    case v1::ACTIVATION_SILU:
      return 4;
    case v1::ACTIVATION_GELU:
      return 8;
    case v1::ACTIVATION_SWIGLU:
      return 5;
    case v1::ACTIVATION_GEGLU:
      return 9;
    default:
      return 0;
  }
}

// Bytes an op moves; see the header for the kv-cache exceptions.
int64_t OpBytes(const v1::Operator& op, const GraphIndex& index) {
  if (op.has_kv_cache_append()) {
    int64_t rows = 0;
    for (const auto& in : op.inputs()) rows += TensorBytes(*index.FindTensor(in));
    return 2 * rows;
  }
  if (op.has_kv_cache_read()) {
    int64_t out = 0;
    for (const auto& o : op.outputs()) out += TensorBytes(*index.FindTensor(o));
    return 2 * out;
  }
  std::set<std::string_view> names(op.inputs().begin(), op.inputs().end());
  names.insert(op.outputs().begin(), op.outputs().end());
  int64_t bytes = 0;
  for (std::string_view name : names) bytes += TensorBytes(*index.FindTensor(name));
  return bytes;
}

double Ratio(double flops, int64_t bytes) {
  return bytes > 0 ? flops / static_cast<double>(bytes) : 0;
}

}  // namespace

double OpFlops(const v1::Operator& op, const GraphIndex& index) {
  auto in = [&](int i) -> const v1::Tensor& { return *index.FindTensor(op.inputs(i)); };
  auto out = [&](int i) -> const v1::Tensor& { return *index.FindTensor(op.outputs(i)); };
  switch (op.kind_case()) {
    case v1::Operator::kMatmul:
    case v1::Operator::kBatchMatmul: {
      // out = [..., M, N] and A = [..., M, K]: 2 · out elements · K.
      const v1::Tensor& a = in(0);
      return 2 * Elements(out(0)) * static_cast<double>(a.shape(a.shape_size() - 1));
    }
    case v1::Operator::kAttention:
      return AttentionFlops(op.attention());
    case v1::Operator::kNorm:
      return (op.norm().kind() == v1::NORM_LAYER ? 7 : 4) * Elements(out(0));
    case v1::Operator::kSoftmax:
      return 5 * Elements(out(0));
    case v1::Operator::kElementwise:
      return Elements(out(0));
    case v1::Operator::kActivation:
      return ActivationFlopsPerElement(op.activation().kind()) * Elements(out(0));
    case v1::Operator::kRope:
      return 3 * Elements(out(0));
    case v1::Operator::kMoeRouter:
      return 6 * Elements(in(0));
    case v1::Operator::kMoeCombine:
      return 2.0 * op.moe_combine().top_k() * Elements(out(0));
    case v1::Operator::kCollective: {
      auto kind = op.collective().kind();
      bool reduces =
          kind == v1::COLLECTIVE_ALL_REDUCE || kind == v1::COLLECTIVE_REDUCE_SCATTER;
      return reduces ? Elements(in(0)) : 0;
    }
    default:
      return 0;
  }
}

GraphStats ComputeStats(const v1::OperatorGraph& graph) {
  GraphIndex index(graph);
  GraphStats stats;

  // Routed share per layer from its dispatch; the graph-wide one as fallback.
  std::map<int, double> routed_share;
  double graph_share = 1;
  for (const v1::Operator& op : graph.ops()) {
    if (!op.has_moe_dispatch()) continue;
    double share =
        static_cast<double>(op.moe_dispatch().top_k()) / op.moe_dispatch().num_experts();
    routed_share.emplace(op.layer(), share);
    graph_share = std::min(graph_share, share);
  }
  // Each expert weight is discounted once, whichever op reads it first.
  std::map<std::string_view, double> expert_share;
  for (const v1::Operator& op : graph.ops()) {
    if (!op.has_matmul() || op.matmul().group_rows_size() == 0) continue;
    auto it = routed_share.find(op.layer());
    expert_share.emplace(op.inputs(1),
                         it != routed_share.end() ? it->second : graph_share);
  }

  for (const v1::Tensor& t : graph.tensors()) {
    int64_t bytes = TensorBytes(t);
    switch (t.placement()) {
      case v1::PLACEMENT_WEIGHT: {
        int64_t n = TensorElements(t);
        stats.params_total += n;
        auto it = expert_share.find(t.name());
        stats.params_active +=
            static_cast<double>(n) * (it != expert_share.end() ? it->second : 1.0);
        stats.bytes_by_class.weight += bytes;
        break;
      }
      case v1::PLACEMENT_WEIGHT_SCALE:
        stats.bytes_by_class.weight_scale += bytes;
        break;
      case v1::PLACEMENT_KV_CACHE:
        stats.bytes_by_class.kv_cache += bytes;
        break;
      default:
        stats.bytes_by_class.activation += bytes;
        break;
    }
  }

  std::map<int, LayerStats> layers;
  for (const v1::Operator& op : graph.ops()) {
    OpStats s;
    s.name = op.name();
    s.kind = std::string(OpKindName(op));
    s.layer = op.layer();
    s.flops = OpFlops(op, index);
    s.bytes = OpBytes(op, index);
    s.intensity = Ratio(s.flops, s.bytes);
    LayerStats& layer = layers[op.layer()];
    layer.layer = op.layer();
    layer.flops += s.flops;
    layer.bytes += s.bytes;
    stats.flops += s.flops;
    stats.bytes += s.bytes;
    stats.per_op.push_back(std::move(s));
  }
  for (auto& [id, layer] : layers) {
    layer.intensity = Ratio(layer.flops, layer.bytes);
    stats.per_layer.push_back(layer);
  }
  return stats;
}

}  // namespace dsasim::workloads
