#include "arch_models/memory/shared_sram/shared_sram_info.h"

namespace dsasim::arch {

const ComponentInfo& SharedSramInfo() {
  static const ComponentInfo info{
      "shared_sram",
      "dsasim.v1.SharedSramSpec",
      "On-chip SRAM shared by all cores (GPU L2, global SRAM): a first-come, "
      "first-served bandwidth server with a fixed latency; its timing ignores "
      "addresses. As a scratchpad, activations up to half its capacity live in "
      "it; in cache mode it holds no tensors and caches all HBM traffic.",
      {{"capacity", "B", "(required)", "capacity"},
       {"bandwidth", "B/s", "(required)", "aggregate bandwidth"},
       {"latency", "s", "0", "request to first data"},
       {"atomic_add", "bool", "false",
        "the SRAM adds incoming reduce-add stores in place (a GPU L2's atomic "
        "units): split-K / split-KV partials combine at store cost, with no "
        "combine pass"},
       {"mode", "enum", "SRAM_MODE_SCRATCHPAD",
        "SRAM_MODE_CACHE: an LRU cache of this capacity in front of HBM (see "
        "sram_cache)"},
       {"cache", "message", "ways 16, line 128B", "the cache mode's organisation"}},
      {{"bytes", "B", "bytes read and written (shared_sram_bytes)"},
       {"utilization", "fraction", "bytes / (bandwidth · time)"}}};
  return info;
}

}  // namespace dsasim::arch
