#include "workloads/lowering/matmul_tiling.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "arch_models/memory/scratchpad/scratchpad_allocator.h"
#include "sim/error.h"
#include "workloads/graph/dtype.h"
#include "workloads/lowering/dequant_plan.h"
#include "workloads/lowering/partial_sums.h"
#include "workloads/lowering/pipeline_cost.h"
#include "workloads/lowering/transpose_plan.h"

namespace dsasim::workloads {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Bytes of scratchpad a tiling occupies: `buffers` copies of the A and B
// (and scale) tiles, plus one output tile staged for the store. The fp32
// accumulator lives in the accumulator buffer when the core has one.
double FootprintBytes(const Tiling& t, const MatMulShape& s, int buffers,
                      bool separate_accumulator) {
  double a = t.tm * t.tk * DTypeBytes(s.a_dtype);
  double b = t.tk * t.tn * DTypeBytes(s.b_dtype);
  double scales = s.group_size > 0
                      ? CeilDiv(t.tk, s.group_size) * t.tn * DTypeBytes(s.scale_dtype)
                      : 0;
  double out = t.tm * t.tn * DTypeBytes(s.c_dtype);
  double acc = separate_accumulator ? 0 : t.tm * t.tn * 4.0;
  return buffers * (a + b + scales) + out + acc;
}

// Bytes of one operand the tiling reads from HBM and from the shared SRAM,
// in closed form for the search (EmitTiles applies PanelReuse exactly).
// `panels_per_wave` distinct panels of `panel_bytes` each are fetched per
// wave; `reads` is the operand's total tile traffic.
struct OperandTraffic {
  double hbm = 0;
  double sram = 0;
};
OperandTraffic SplitTraffic(const Placement& operand, double operand_bytes, double reads,
                            double waves, double panels_per_wave, double panel_bytes,
                            const LoweringContext& ctx) {
  const arch::SharedSramConfig& l2 = ctx.chip.shared_sram;
  if (operand.memory == arch::MemoryKind::kSharedSram) return {0, reads};
  if (!l2.addressable()) return {reads, 0};
  double hbm =
      operand_bytes <= l2.capacity_bytes / 2
          ? operand_bytes
          : std::clamp(waves * panels_per_wave * panel_bytes, operand_bytes, reads);
  return {hbm, reads - hbm};
}

double Estimate(const Tiling& t, const MatMulShape& s, const MatMulOperands& o,
                const PipelineCost& cost, const LoweringContext& ctx) {
  const arch::ChipConfig& c = ctx.chip;
  const int cores = c.cores;
  const double ab = DTypeBytes(s.a_dtype), bb = DTypeBytes(s.b_dtype);
  const int64_t rows = CeilDiv(s.m, t.tm), cols = CeilDiv(s.n, t.tn);
  int64_t tiles = rows * cols * t.split;
  int64_t ksteps = CeilDiv(CeilDiv(s.k, t.split), t.tk);
  int active = static_cast<int>(std::min<int64_t>(tiles, cores));
  double waves = static_cast<double>(CeilDiv(tiles, cores));
  double compute =
      TileCycles(std::min(t.tm, s.m), std::min(t.tn, s.n), t.tk, s, ctx) / c.core_hz;
  compute += (PlanDequant(s.b_dtype, s.group_size > 0, ctx)
                  .VectorCycles(t.tk * t.tn, ctx.costs) +
              PlanTranspose(s.b_col_major, ctx).VectorCycles(t.tk * t.tn, ctx.costs)) /
             c.vector.hz;
  // Tiles are emitted row by row (j, then split, fastest), so a wave spans
  // about active / (cols·split) + 1 tile rows and min(active, cols·split)
  // column panels.
  const double row_tiles = static_cast<double>(cols * t.split);
  const double a_panels = std::min<double>(rows, active / row_tiles + 1) * t.split;
  const double b_panels = std::min<double>(row_tiles, active);
  OperandTraffic a =
      SplitTraffic(o.a, double(s.m) * s.k * ab, cols * double(s.m) * s.k * ab, waves,
                   a_panels, t.tm * double(s.k) / t.split * ab, ctx);
  OperandTraffic b =
      SplitTraffic(o.b, double(s.k) * s.n * bb, rows * double(s.k) * s.n * bb, waves,
                   b_panels, t.tn * double(s.k) / t.split * bb, ctx);
  double c_bytes = t.split * double(s.m) * s.n * DTypeBytes(s.c_dtype);
  double hbm = a.hbm + b.hbm + (o.c.memory == arch::MemoryKind::kHbm ? c_bytes : 0);
  double sram = a.sram + b.sram + (o.c.memory == arch::MemoryKind::kHbm ? 0 : c_bytes);
  // Combining split-K partials (partial_sums.h): a DMA reduce-add reads the
  // old values back (one more pass over the output, per partial); the
  // vector pass stores fp32 partials to its workspace instead of the output
  // (the workspace sits where the output does when it fits), then reads them back, adds
  // them on the vector engine after the barrier and writes the result.
  // Shared-SRAM atomics cost the stores alone.
  double combine_s = 0;
  if (t.split > 1) {
    const double partials = t.split * double(s.m) * s.n * 4.0;
    const bool c_in_hbm = o.c.memory == arch::MemoryKind::kHbm;
    switch (PlanReduce(ctx)) {
      case ReduceMethod::kDma:
        (c_in_hbm ? hbm : sram) += c_bytes;
        break;
      case ReduceMethod::kVectorPass: {
        (c_in_hbm ? hbm : sram) += partials - c_bytes;
        const double traffic = partials + double(s.m) * s.n * DTypeBytes(s.c_dtype);
        const double bandwidth = c_in_hbm || c.shared_sram.bandwidth <= 0
                                     ? c.hbm.peak_bandwidth()
                                     : c.shared_sram.bandwidth;
        const double adds = t.split *
                            ctx.costs.VectorCycles({"add"}, CeilDiv(s.m * s.n, cores)) /
                            c.vector.hz;
        combine_s = std::max(traffic / bandwidth, adds);
        break;
      }
      case ReduceMethod::kSramAtomics:
        break;
    }
  }

  // A core's step loads at its own DMA/port rate or its share of the memory
  // its bytes come from, whichever is lower.
  double per_core = std::min(c.dma.bandwidth * c.dma.engines, c.noc.core_bandwidth());
  double hbm_fraction = hbm + sram > 0 ? hbm / (hbm + sram) : 1;
  double step_bytes = t.tm * t.tk * ab + t.tk * t.tn * bb;
  // HBM serves the B tile's runs (tn elements per k row; tk per n row when
  // B is column-major) at the efficiency their locality allows, and all
  // cores together no faster than their tiles spread over the channels: a
  // wave's tiles at one K step are the B slab of its column panels —
  // row-major, tk runs of those panels' width; column-major, one run of tk
  // per column, k elements apart, which camps on few channels when that
  // pitch is a multiple of the interleave period. (Splits of K start apart
  // and spread further; the slab of one split is the conservative case.)
  const double b_run = (s.b_col_major ? t.tk : t.tn) * bb,
               b_pitch = (s.b_col_major ? s.k : s.n) * bb;
  const double wave_n = std::min<double>(s.n, std::min<double>(cols, active) * t.tn);
  const double balance =
      s.b_col_major ? cost.HbmChannelBalance(wave_n * t.tk * bb, t.tk * bb, s.k * bb)
                    : cost.HbmChannelBalance(t.tk * wave_n * bb, wave_n * bb, s.n * bb);
  double hbm_rate =
      std::min(per_core, c.hbm.peak_bandwidth() *
                             cost.HbmEfficiency(t.tk * t.tn * bb, b_run, b_pitch) *
                             balance / std::max(1, active));
  double sram_rate =
      c.shared_sram.bandwidth > 0
          ? std::min(per_core, c.shared_sram.bandwidth / std::max(1, active))
          : hbm_rate;
  double transfer =
      step_bytes * (hbm_fraction / hbm_rate + (1 - hbm_fraction) / sram_rate);
  // Every load also pays the DMA setup and the memory's latency; `stages`
  // loads in flight hide it (see PipelineCost).
  double load =
      transfer + cost.LatencySeconds(hbm_fraction > 0.5 ? arch::MemoryKind::kHbm
                                                        : arch::MemoryKind::kSharedSram);
  double per_tile = cost.PipelineSeconds(static_cast<double>(ksteps), load, compute,
                                         transfer, t.stages);
  double estimate = std::max(waves * per_tile, hbm / c.hbm.peak_bandwidth());
  if (c.shared_sram.bandwidth > 0)
    estimate = std::max(estimate, sram / c.shared_sram.bandwidth);
  return estimate + combine_s;
}

}  // namespace

int64_t ReserveTileBuffers(const Tiling& t, const MatMulShape& s,
                           const LoweringContext& ctx) {
  const arch::ScratchpadConfig& sp = ctx.chip.scratchpad;
  arch::ScratchpadAllocator spm("scratchpad", static_cast<int64_t>(sp.capacity_bytes),
                                sp.banks);
  for (int b = 0; b < t.stages; ++b) {
    spm.Reserve(static_cast<int64_t>(std::ceil(t.tm * t.tk * DTypeBytes(s.a_dtype))),
                "A tile");
    spm.Reserve(static_cast<int64_t>(std::ceil(t.tk * t.tn * DTypeBytes(s.b_dtype))),
                "B tile");
    if (s.group_size > 0) {
      spm.Reserve(static_cast<int64_t>(CeilDiv(t.tk, s.group_size) * t.tn *
                                       DTypeBytes(s.scale_dtype)),
                  "weight scales");
    }
  }
  spm.Reserve(static_cast<int64_t>(t.tm * t.tn * DTypeBytes(s.c_dtype)), "C staging");
  if (sp.accumulator_bytes > 0) {
    arch::ScratchpadAllocator acc("accumulator",
                                  static_cast<int64_t>(sp.accumulator_bytes), 1);
    acc.Reserve(t.tm * t.tn * 4, "fp32 accumulator");
  } else {
    spm.Reserve(t.tm * t.tn * 4, "fp32 accumulator");
  }
  return spm.peak();
}

double TileCycles(int64_t tm, int64_t tn, int64_t tk, const MatMulShape& s,
                  const LoweringContext& ctx) {
  double engine = ctx.costs.TensorCycles(tm, tn, tk, s.a_dtype);
  double operand_bytes =
      tm * tk * DTypeBytes(s.a_dtype) + tk * tn * DTypeBytes(s.b_dtype);
  double feed = operand_bytes / ctx.chip.scratchpad.read_bandwidth * ctx.chip.core_hz;
  return std::max(engine, feed);
}

Tiling ChooseTiling(const MatMulShape& s, const MatMulOperands& o,
                    const LoweringContext& ctx) {
  static constexpr int64_t kSizes[] = {16, 32, 64, 128, 256, 512, 1024, 2048};
  static constexpr int kSplits[] = {1, 2, 4, 8};
  // Pipeline depths: 1 with double buffering off; otherwise 2 and the deeper
  // multi-buffering that latency-bound streams need (TMA pipelines run 3–8
  // stages), as far as the scratchpad allows.
  static constexpr int kStages[] = {2, 3, 4, 6, 8};
  const std::vector<int> stages =
      ctx.options.double_buffering
          ? std::vector<int>(std::begin(kStages), std::end(kStages))
          : std::vector<int>{1};
  const PipelineCost cost(ctx.chip);
  const bool separate_acc = ctx.chip.scratchpad.accumulator_bytes > 0;
  Tiling best;
  bool found = false;
  for (int64_t tm : kSizes) {
    // Larger than the matrix adds nothing but padding; keep the first size
    // that covers it.
    if (tm > 16 && tm / 2 >= s.m) break;
    for (int64_t tn : kSizes) {
      if (tn < 64 && s.n >= 64) continue;
      if (tn > 64 && tn / 2 >= s.n) break;
      if (separate_acc && tm * tn * 4.0 > ctx.chip.scratchpad.accumulator_bytes) continue;
      for (int64_t tk : kSizes) {
        if (tk < 32) continue;
        if (tk > 32 && tk / 2 >= s.k) break;
        for (int split : kSplits) {
          int64_t tiles = CeilDiv(s.m, tm) * CeilDiv(s.n, tn);
          // Split K only to fill idle cores, and only while each split keeps
          // at least one full K tile.
          if (split > 1 && (tiles * split > 2 * ctx.chip.cores || s.k / split < tk))
            break;
          for (int depth : stages) {
            Tiling t{tm, tn, tk, split, depth, 0};
            if (FootprintBytes(t, s, depth, separate_acc) >
                ctx.chip.scratchpad.capacity_bytes) {
              break;
            }
            t.estimate_s = Estimate(t, s, o, cost, ctx);
            // Strictly better only (by more than rounding): ties keep the
            // earlier — smaller, shallower — candidate, so the choice is
            // deterministic and buffers are not spent for nothing.
            if (!found || t.estimate_s < best.estimate_s * (1 - 1e-6)) {
              best = t;
              found = true;
            }
          }
        }
      }
    }
  }
  if (!found) {
    throw MappingError(
        "matmul " + std::to_string(s.m) + "x" + std::to_string(s.k) + "x" +
        std::to_string(s.n) + ": no tile fits the " +
        std::to_string(static_cast<int64_t>(ctx.chip.scratchpad.capacity_bytes)) +
        " B scratchpad with " + std::to_string(ctx.buffers()) + " buffers");
  }
  return best;
}

}  // namespace dsasim::workloads
