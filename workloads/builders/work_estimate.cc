#include "workloads/builders/work_estimate.h"

#include <algorithm>

#include "dsasim/v1/sweep.pb.h"
#include "sim/error.h"
#include "sim/field_ranges.h"
#include "sim/units.h"
#include "workloads/graph/dtype.h"

namespace dsasim::workloads {
namespace {

v1::WorkloadSpec ToWorkloadSpec(const BuildOptions& o) {
  v1::WorkloadSpec w;
  w.set_phase(o.phase);
  w.set_batch(o.batch);
  w.set_seq_len(o.seq_len);
  w.set_context_len(o.context_len);
  w.set_weight_dtype(o.weight_dtype);
  w.set_activation_dtype(o.activation_dtype);
  w.set_kv_dtype(o.kv_dtype);
  w.set_tensor_parallel(o.tensor_parallel);
  w.set_pipeline_parallel(o.pipeline_parallel);
  w.set_expert_parallel(o.expert_parallel);
  w.set_data_parallel(o.data_parallel);
  w.set_microbatches(o.microbatches);
  w.set_layers(o.layers);
  w.set_decode_batch(o.decode_batch);
  w.set_draft_tokens(o.draft_tokens);
  w.set_weight_group_size(o.weight_group_size);
  w.set_kv_page_size(o.kv_page_size);
  w.set_capacity_factor(o.capacity_factor);
  w.set_zipf_s(o.zipf_s);
  return w;
}

bool Stored(const v1::Tensor& t) {
  return t.view_of_size() == 0 && t.placement() != v1::PLACEMENT_ACTIVATION &&
         t.placement() != v1::PLACEMENT_UNSPECIFIED;
}

// The four counts the estimate extends, as one vector for the arithmetic.
struct Counts {
  double v[5];
};

Counts CountsOf(const GraphSize& s) {
  return {{s.ops, s.tensors, s.list_entries, s.encoded_bytes, s.stored_bytes}};
}

GraphSize SizeOf(const Counts& c) { return {c.v[0], c.v[1], c.v[2], c.v[3], c.v[4]}; }

}  // namespace

double GraphSize::MemoryBytes() const {
  return 4 * encoded_bytes + 8 * list_entries + 2048 * ops;
}

void CheckWorkloadRanges(const BuildOptions& options, std::string_view origin) {
  CheckFieldRanges(ToWorkloadSpec(options), std::string(origin) + ": workload");
}

GraphSize MeasureGraphSize(const v1::OperatorGraph& graph) {
  GraphSize s;
  s.ops = graph.ops_size();
  s.tensors = graph.tensors_size();
  for (const v1::Operator& op : graph.ops()) {
    if (op.has_attention()) {
      s.list_entries += op.attention().q_lens_size() + op.attention().kv_lens_size();
    }
    if (op.has_moe_dispatch())
      s.list_entries += op.moe_dispatch().tokens_per_expert_size();
    if (op.has_matmul()) s.list_entries += op.matmul().group_rows_size();
  }
  s.encoded_bytes = static_cast<double>(graph.ByteSizeLong());
  for (const v1::Tensor& t : graph.tensors()) {
    if (Stored(t)) s.stored_bytes += static_cast<double>(TensorBytes(t));
  }
  return s;
}

GraphSize EstimateGraphSize(const ModelSpec& spec, const BuildOptions& options) {
  const int64_t layers =
      options.layers > 0 ? std::min(options.layers, spec.layers) : spec.layers;
  // Two layer counts next to each other, past any leading dense layers, and
  // at least one layer per pipeline stage (fewer do not build).
  const int64_t stages = std::max(1, options.pipeline_parallel);
  const int64_t l2 =
      std::clamp<int64_t>(std::max<int64_t>(spec.first_k_dense + 2, stages + 1), 1,
                          std::max<int64_t>(layers, 1));
  const int64_t l1 = std::max<int64_t>(l2 - 1, std::min<int64_t>(stages, l2));
  // Sequence counts that keep data parallelism's replicas and their
  // pipeline microbatches whole and give every expert-parallel group a
  // sequence (attention runs data-parallel over them: a smaller batch does
  // not build). Replicas and microbatches repeat the ops, so the counts stay
  // affine in layers and sequences.
  const int64_t unit = static_cast<int64_t>(std::max(1, options.data_parallel)) *
                       std::max(1, options.microbatches) *
                       std::max(1, options.expert_parallel);
  auto sequences = [&](int64_t batch) {
    return static_cast<double>(batch + (options.decode_batch > 0 ? batch : 0));
  };
  auto measure = [&](int64_t l, int64_t batch) {
    BuildOptions small = options;
    small.layers = l;
    small.batch = batch;
    if (options.decode_batch > 0) small.decode_batch = batch;
    return CountsOf(MeasureGraphSize(BuildGraph(spec, small)));
  };
  const Counts a = measure(l1, unit), b = measure(l2, unit);
  const Counts c = measure(l1, 2 * unit), d = measure(l2, 2 * unit);
  const double x1 = sequences(unit), x2 = sequences(2 * unit);
  const double x = static_cast<double>(options.batch + options.decode_batch);
  Counts out;
  for (int i = 0; i < 5; ++i) {
    // Per layer and fixed parts at each sequence count, then linear in
    // sequences between them.
    const double per_layer_1 = l2 > l1 ? b.v[i] - a.v[i] : 0;
    const double per_layer_2 = l2 > l1 ? d.v[i] - c.v[i] : 0;
    const double fixed_1 = b.v[i] - per_layer_1 * static_cast<double>(l2);
    const double fixed_2 = d.v[i] - per_layer_2 * static_cast<double>(l2);
    const double t = (x - x1) / (x2 - x1);
    const double per_layer = per_layer_1 + t * (per_layer_2 - per_layer_1);
    const double fixed = fixed_1 + t * (fixed_2 - fixed_1);
    out.v[i] = std::max(0.0, fixed + per_layer * static_cast<double>(layers));
  }
  return SizeOf(out);
}

void CheckGraphFits(const GraphSize& size, const WorkLimits& limits,
                    std::string_view origin) {
  if (size.MemoryBytes() > limits.max_memory_bytes) {
    throw LimitError(std::string(origin) + ": the run would need about " +
                     FormatBytes(size.MemoryBytes()) + " of memory for " +
                     FormatCount(size.ops) + " ops and " +
                     FormatCount(size.list_entries) +
                     " per-sequence entries, above the limit of " +
                     FormatBytes(limits.max_memory_bytes) +
                     " (raise it with --max-memory, or shrink --batch / --layers)");
  }
}

}  // namespace dsasim::workloads
