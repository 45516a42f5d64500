#include "arch_models/dma/dma_info.h"

namespace dsasim::arch {

const ComponentInfo& DmaEngineInfo() {
  static const ComponentInfo info{
      "dma",
      "dsasim.v1.DmaSpec",
      "A core's DMA engines: queues of descriptors, each a tensor region (runs of "
      "contiguous bytes at a stride, or an index list of scattered pieces) with "
      "optional tensor-aware transforms. A descriptor pays the setup, then moves "
      "its bytes at the engine's bandwidth times the transforms' throughput "
      "fraction; its memory locality is charged by the memory model.",
      {{"engines", "count", "(required)", "DMA engines per core"},
       {"max_outstanding", "count", "1", "descriptors in flight per engine"},
       {"setup", "s", "0", "fixed cost per descriptor (fetch, address generation)"},
       {"bandwidth", "B/s", "(required)", "peak bandwidth of one engine"},
       {"capabilities", "list", "none",
        "tensor-aware transforms the engines apply (see dma_capability)"}},
      {{"descriptors", "count", "descriptors issued"},
       {"busy_time", "s", "engine time summed over engines (utilization_dma)"},
       {"bytes", "B", "payload bytes moved (conservation: issued == delivered)"}}};
  return info;
}

const ComponentInfo& DmaCapabilityInfo() {
  static const ComponentInfo info{
      "dma_capability",
      "dsasim.v1.DmaCapabilitySpec",
      "One transform the DMA engines apply on the way. Several on one descriptor "
      "run as pipelined stages: the lowest throughput fraction, the sum of setups. "
      "Without the capability (or with --no-dma-transforms) the work falls on a "
      "compute engine: INT4/FP4_UNPACK and SCALE on the vector engine (dequant, "
      "or mul per element); REDUCE_ADD as partial stores plus a vector combine "
      "pass (or the shared SRAM's atomic_add); GATHER_SCATTER as one descriptor "
      "per row, its address computed by the scalar engine.",
      {{"capability", "enum", "(required)",
        "DMA_TRANSPOSE, DMA_INT4_UNPACK, DMA_FP4_UNPACK, DMA_SCALE, DMA_REDUCE_ADD, "
        "DMA_GATHER_SCATTER"},
       {"throughput_fraction", "fraction", "1",
        "fraction of plain-copy throughput the transform sustains, in (0, 1]"},
       {"setup", "s", "0", "extra per-descriptor setup for the transform"}},
      {{"lowering", "JSON",
        "each op's lowering record names the engine that did each transform: "
        "dequant/unpack/scale, reduce, gather or kv_gather = dma, vector, scalar, "
        "shared_sram or none"}}};
  return info;
}

}  // namespace dsasim::arch
