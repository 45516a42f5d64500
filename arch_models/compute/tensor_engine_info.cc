#include "arch_models/compute/tensor_engine_info.h"

namespace dsasim::arch {

const ComponentInfo& TensorEngineInfo() {
  static const ComponentInfo info{
      "tensor_engine",
      "dsasim.v1.TensorEngineSpec",
      "A core's matrix engines: one kind (systolic array or MMA units), a count "
      "per core, and per-dtype rates; types it lacks are converted (or unpacked) "
      "before it runs them.",
      {{"systolic", "message", "one of systolic / mma", "an R×C array (systolic_array)"},
       {"mma", "message", "one of systolic / mma", "GPU-style MMA units (mma_unit)"},
       {"count", "count", "1", "engines of this kind per core (MXUs per TensorCore)"},
       {"rates", "multiplier", "bf16 × 1",
        "throughput multiplier per native dtype (fp8 2 on H100); others are converted"},
       {"transposed_operands", "bool", "false",
        "reads an operand tile in either layout at full rate (ldmatrix.trans); "
        "without it a column-major weight is transposed by DMA_TRANSPOSE or the "
        "vector engine"}},
      {{"busy_cycles", "cycles", "cycles spent computing (engine_busy_ps, tensor)"},
       {"flops", "FLOP", "useful FLOPs"}}};
  return info;
}

}  // namespace dsasim::arch
