#include "tests/workloads/graph_accounting.h"

#include <unordered_map>

namespace dsasim::workloads {

double BytesPerElement(v1::DType dtype) {
  switch (dtype) {
    case v1::DTYPE_FP32:
    case v1::DTYPE_INT32:
      return 4;
    case v1::DTYPE_BF16:
    case v1::DTYPE_FP16:
      return 2;
    case v1::DTYPE_INT4:
    case v1::DTYPE_FP4_E2M1:
      return 0.5;
    default:
      return 1;
  }
}

namespace {

double Elements(const v1::Tensor& t) {
  double n = 1;
  for (int64_t d : t.shape()) n *= static_cast<double>(d);
  return n;
}

double AttentionFlops(const v1::Attention& a, double qk_dim, double v_dim) {
  // Causal: query i of a sequence with q new tokens and kv attended ones
  // sees kv - q + i + 1 keys.
  double pairs = 0;
  for (int i = 0; i < a.q_lens_size(); ++i) {
    double q = static_cast<double>(a.q_lens(i)), kv = static_cast<double>(a.kv_lens(i));
    pairs += a.causal() ? q * (kv - q) + q * (q + 1) / 2 : q * kv;
  }
  return 2.0 * pairs * a.num_q_heads() * (qk_dim + v_dim);
}

}  // namespace

GraphCounts CountGraph(const v1::OperatorGraph& graph) {
  GraphCounts c;
  std::unordered_map<std::string, const v1::Tensor*> tensors;
  for (const v1::Tensor& t : graph.tensors()) {
    tensors.emplace(t.name(), &t);
    if (t.placement() == v1::PLACEMENT_WEIGHT) c.params += Elements(t);
    if (t.placement() == v1::PLACEMENT_KV_CACHE) {
      c.kv_cache_bytes += Elements(t) * BytesPerElement(t.dtype());
    }
  }
  for (const v1::Operator& op : graph.ops()) {
    if (op.has_matmul()) {
      const v1::Tensor& a = *tensors.at(op.inputs(0));
      const v1::Tensor& b = *tensors.at(op.inputs(1));
      double k = static_cast<double>(a.shape(a.shape_size() - 1));
      double n = static_cast<double>(b.layout() == v1::LAYOUT_COL_MAJOR
                                         ? b.shape(b.shape_size() - 2)
                                         : b.shape(b.shape_size() - 1));
      c.matmul_flops += 2.0 * (Elements(a) / k) * n * k;
      if (op.name().find(".moe.experts.") != std::string::npos) {
        c.routed_expert_params += Elements(b);
      }
    }
    if (op.has_attention()) {
      const v1::Attention& a = op.attention();
      double qk = a.head_dim(), v = a.v_head_dim() > 0 ? a.v_head_dim() : a.head_dim();
      if (a.absorbed()) {
        qk = a.kv_lora_rank() + a.qk_rope_head_dim();
        v = a.kv_lora_rank();
      }
      c.attention_flops += AttentionFlops(a, qk, v);
    }
    if (op.has_collective() && op.device() == 0) {
      const v1::Tensor& in = *tensors.at(op.inputs(0));
      c.device0_collective_bytes[op.collective().kind()] +=
          Elements(in) * BytesPerElement(in.dtype());
      c.device0_collectives[op.collective().kind()] += 1;
    }
  }
  return c;
}

}  // namespace dsasim::workloads
