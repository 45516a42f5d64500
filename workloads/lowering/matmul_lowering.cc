#include "workloads/lowering/matmul_lowering.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "workloads/graph/dtype.h"
#include "workloads/lowering/dequant_plan.h"
#include "workloads/lowering/matmul_tiling.h"
#include "workloads/lowering/partial_sums.h"
#include "workloads/lowering/transpose_plan.h"

namespace dsasim::workloads {
namespace {

using arch::ComputePhase;
using arch::EngineKind;
using arch::Transfer;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Operand reuse through the shared SRAM (a GPU's L2). The `cores` tiles of
// one wave start together and walk K in lockstep, so an A row-panel or a B
// column-panel that several of them need is fetched from HBM by the first and
// hit in the shared SRAM by the others a few K steps later: the SRAM only
// holds those few steps' slabs, far below its capacity. Across waves a panel
// is fetched again — unless the whole operand fits the half of the SRAM the
// memory plan allows a tensor, in which case it stays resident after its
// first fetch. Without this every tile re-reads its panels from HBM, which
// charges a 1024×12288×12288 fp16 GEMM about three times the HBM traffic an
// A100 shows for it (it runs compute-bound there). Chips without a shared
// SRAM, and operands already placed in it, are unaffected.
class PanelReuse {
 public:
  PanelReuse(const Placement& operand, const LoweringContext& ctx)
      : home_(operand.memory),
        // In cache mode the cache finds the reuse itself.
        enabled_(operand.memory == arch::MemoryKind::kHbm &&
                 ctx.chip.shared_sram.addressable()),
        resident_(static_cast<double>(operand.bytes) <=
                  ctx.chip.shared_sram.capacity_bytes / 2) {}

  // Where tile loads of `panel` in wave `wave` come from.
  arch::MemoryKind Source(int64_t panel, int64_t wave) {
    if (!enabled_) return home_;
    if (wave != wave_ && !resident_) fetched_.clear();
    wave_ = wave;
    return fetched_.insert(panel).second ? arch::MemoryKind::kHbm
                                         : arch::MemoryKind::kSharedSram;
  }

 private:
  arch::MemoryKind home_;
  bool enabled_;
  bool resident_;
  int64_t wave_ = -1;
  std::unordered_set<int64_t> fetched_;
};

// Appends the pipelines of one (sub-)matmul to `program`, distributing its
// tiles round-robin over cores starting at `first_core`.
void EmitTiles(const MatMulShape& s, const MatMulOperands& o, const Tiling& t,
               const LoweringContext& ctx, std::vector<arch::CoreProgram*>& cores,
               int& next_core, PartialSums& sums) {
  const double ab = DTypeBytes(s.a_dtype), bb = DTypeBytes(s.b_dtype),
               cb = DTypeBytes(s.c_dtype);
  const DequantPlan dequant = PlanDequant(s.b_dtype, s.group_size > 0, ctx);
  const TransposePlan transpose = PlanTranspose(s.b_col_major, ctx);
  const int64_t k_per_split = CeilDiv(s.k, t.split);
  PanelReuse a_reuse(o.a, ctx), b_reuse(o.b, ctx);
  // Tiles go round-robin over the cores, so wave w is tiles [w·cores,
  // (w+1)·cores) counted from core 0.
  int64_t tile_index = next_core;
  const auto num_cores = static_cast<int64_t>(cores.size());
  // Large GEMMs emit millions of steps: size the programs once rather than
  // let them grow by doubling (copying and page-faulting, a quarter of the
  // validation suite's time before this).
  const int64_t steps_per_core =
      CeilDiv(CeilDiv(s.m, t.tm) * CeilDiv(s.n, t.tn) * t.split, num_cores) *
      CeilDiv(k_per_split, t.tk);
  // A vector phase (dequant, transpose) before the tensor engine's.
  const bool vector_phase = !dequant.vector_op.empty() || transpose.engine == "vector";
  for (arch::CoreProgram* core : cores) {
    core->steps.reserve(core->steps.size() + steps_per_core);
    core->transfers.reserve(core->transfers.size() +
                            steps_per_core * (s.group_size > 0 ? 4 : 3));
    core->phases.reserve(core->phases.size() + steps_per_core * (vector_phase ? 2 : 1));
  }
  for (int64_t i0 = 0; i0 < s.m; i0 += t.tm) {
    int64_t tm = std::min(t.tm, s.m - i0);
    for (int64_t j0 = 0; j0 < s.n; j0 += t.tn) {
      int64_t tn = std::min(t.tn, s.n - j0);
      // Split-K partials of this output tile, combined as partial_sums.h
      // says: reduce-add writes of fp32 values in place, or stores to a
      // workspace and a combine pass.
      int64_t block = -1;
      const Transfer c_store = Transfer::Strided(
          o.c.memory, true, o.c.address + static_cast<uint64_t>((i0 * s.n + j0) * cb), tm,
          static_cast<int64_t>(tn * cb), static_cast<int64_t>(s.n * cb));
      if (t.split > 1) block = sums.AddBlock(t.split, tm * tn, c_store);
      for (int split = 0; split < t.split; ++split) {
        arch::CoreProgram& core = *cores[next_core];
        next_core = (next_core + 1) % static_cast<int>(cores.size());
        const int64_t wave = tile_index++ / num_cores;
        const arch::MemoryKind a_from = a_reuse.Source(i0 / t.tm * t.split + split, wave);
        const arch::MemoryKind b_from = b_reuse.Source(j0 / t.tn * t.split + split, wave);
        int64_t k_begin = split * k_per_split;
        int64_t k_end = std::min(s.k, k_begin + k_per_split);
        for (int64_t k0 = k_begin; k0 < k_end; k0 += t.tk) {
          int64_t tk = std::min(t.tk, k_end - k0);
          std::vector<Transfer> loads;
          loads.push_back(Transfer::Strided(
              a_from, false, o.a.address + static_cast<uint64_t>((i0 * s.k + k0) * ab),
              tm, static_cast<int64_t>(tk * ab), static_cast<int64_t>(s.k * ab)));
          // Row-major B: tk runs of tn elements; column-major: tn runs of tk.
          Transfer b =
              s.b_col_major
                  ? Transfer::Strided(
                        b_from, false,
                        o.b.address + static_cast<uint64_t>((j0 * s.k + k0) * bb), tn,
                        static_cast<int64_t>(std::ceil(tk * bb)),
                        static_cast<int64_t>(std::ceil(s.k * bb)))
                  : Transfer::Strided(
                        b_from, false,
                        o.b.address + static_cast<uint64_t>((k0 * s.n + j0) * bb), tk,
                        static_cast<int64_t>(std::ceil(tn * bb)),
                        static_cast<int64_t>(std::ceil(s.n * bb)));
          b.transforms = dequant.dma;
          if (transpose.dma) b.With(v1::DMA_TRANSPOSE);
          loads.push_back(b);
          if (s.group_size > 0) {
            double sb = DTypeBytes(s.scale_dtype);
            loads.push_back(Transfer::Strided(
                o.scales.memory, false,
                o.scales.address +
                    static_cast<uint64_t>((k0 / s.group_size) * s.n * sb + j0 * sb),
                CeilDiv(tk, s.group_size), static_cast<int64_t>(tn * sb),
                static_cast<int64_t>(s.n * sb)));
          }
          std::vector<ComputePhase> compute;
          const double vector_cycles = dequant.VectorCycles(tk * tn, ctx.costs) +
                                       transpose.VectorCycles(tk * tn, ctx.costs);
          if (vector_cycles > 0)
            compute.push_back({EngineKind::kVector, vector_cycles, 0});
          compute.push_back(
              {EngineKind::kTensor, TileCycles(tm, tn, tk, s, ctx), 2.0 * tm * tn * tk});
          std::vector<Transfer> stores;
          if (k0 + tk >= k_end) {
            // Without split the tile is written once in the output dtype.
            stores.push_back(block >= 0 ? sums.PartialStore(block, split) : c_store);
          }
          core.AddStep(loads, compute, stores);
        }
      }
    }
  }
}

void WriteChoices(JsonWriter& json, const MatMulShape& s, const Tiling& t,
                  const LoweringContext& ctx) {
  json.Key("m").Int(s.m).Key("n").Int(s.n).Key("k").Int(s.k);
  json.Key("tile").BeginArray().Int(t.tm).Int(t.tn).Int(t.tk).EndArray();
  json.Key("split_k").Int(t.split);
  json.Key("buffers").Int(t.stages);
  json.Key("estimate_s").Number(t.estimate_s);
  json.Key("scratchpad_bytes").Int(ReserveTileBuffers(t, s, ctx));
  // Which engine did each transform of the weight and of the partials.
  const DequantPlan dequant = PlanDequant(s.b_dtype, s.group_size > 0, ctx);
  json.Key("dequant").String(dequant.Summary());
  json.Key("unpack").String(dequant.unpack);
  json.Key("scale").String(dequant.scale);
  json.Key("reduce").String(t.split > 1 ? ReduceEngineName(PlanReduce(ctx)) : "none");
  json.Key("transpose").String(PlanTranspose(s.b_col_major, ctx).engine);
}

std::vector<arch::CoreProgram*> AllCores(arch::OpProgram& program, int stages,
                                         const LoweringContext& ctx) {
  for (int c = 0; c < ctx.chip.cores; ++c) program.AddCore(c, stages);
  std::vector<arch::CoreProgram*> cores;
  for (auto& c : program.cores) cores.push_back(&c);
  return cores;
}

}  // namespace

LoweredOp LowerMatMulShape(const MatMulShape& shape, const MatMulOperands& operands,
                           const LoweringContext& ctx) {
  LoweredOp out;
  Tiling t = ChooseTiling(shape, operands, ctx);
  std::vector<arch::CoreProgram*> cores = AllCores(out.program, t.stages, ctx);
  int next = 0;
  PartialSums sums(operands.c, static_cast<int64_t>(t.split) * shape.m * shape.n * 4,
                   ctx);
  EmitTiles(shape, operands, t, ctx, cores, next, sums);
  sums.EmitCombine(out.program);
  out.flops = 2.0 * shape.m * shape.n * shape.k;
  JsonWriter json;
  json.BeginObject().Key("engine").String("tensor");
  WriteChoices(json, shape, t, ctx);
  json.EndObject();
  out.choices_json = json.str();
  return out;
}

LoweredOp LowerMatMul(const v1::Operator& op, const LoweringContext& ctx) {
  const v1::Tensor& a = ctx.tensor(op.inputs(0));
  const v1::Tensor& b = ctx.tensor(op.inputs(1));
  const v1::Tensor& c = ctx.tensor(op.outputs(0));
  MatMulShape s;
  s.k = a.shape(a.shape_size() - 1);
  s.m = TensorElements(a) / s.k;
  s.b_col_major = b.layout() == v1::LAYOUT_COL_MAJOR;
  s.n = s.b_col_major ? b.shape(b.shape_size() - 2) : b.shape(b.shape_size() - 1);
  s.a_dtype = a.dtype();
  s.b_dtype = b.dtype();
  s.c_dtype = c.dtype();
  MatMulOperands o{
      ctx.memory.at(a.name()), ctx.memory.at(b.name()), ctx.memory.at(c.name()), {}};
  if (b.has_quantization() && !b.quantization().scale_tensor().empty()) {
    s.group_size = b.quantization().group_size();
    s.scale_dtype = b.quantization().scale_dtype();
    o.scales = ctx.memory.at(b.quantization().scale_tensor());
  }

  const auto& groups = op.matmul().group_rows();
  if (groups.empty()) return LowerMatMulShape(s, o, ctx);

  // Grouped (MoE expert) matmul: each group is its own matmul over its rows
  // and its expert's weight slice; tiles of all groups share the cores.
  LoweredOp out;
  // A core runs tiles of several groups in one pipeline; its depth is the
  // shallowest any group's tiling fits with.
  std::vector<std::pair<MatMulShape, MatMulOperands>> parts;
  std::vector<Tiling> tilings;
  int stages = 8;
  {
    int64_t row = 0;
    for (int g = 0; g < groups.size(); ++g) {
      MatMulShape sg = s;
      sg.m = groups[g];
      MatMulOperands og = o;
      og.a.address += static_cast<uint64_t>(row * s.k * DTypeBytes(s.a_dtype));
      og.c.address += static_cast<uint64_t>(row * s.n * DTypeBytes(s.c_dtype));
      og.b.address += static_cast<uint64_t>(g * s.k * s.n * DTypeBytes(s.b_dtype));
      // Scales are [groups, k / group_size, n]: each expert has its own.
      if (s.group_size > 0) {
        og.scales.address += static_cast<uint64_t>(g * CeilDiv(s.k, s.group_size) * s.n *
                                                   DTypeBytes(s.scale_dtype));
      }
      row += sg.m;
      if (sg.m == 0) continue;
      parts.emplace_back(sg, og);
      tilings.push_back(ChooseTiling(sg, og, ctx));
      stages = std::min(stages, tilings.back().stages);
    }
  }
  std::vector<arch::CoreProgram*> cores = AllCores(out.program, stages, ctx);
  int next = 0;
  const int64_t total_m = s.m;
  int64_t row = 0;
  JsonWriter json;
  json.BeginObject().Key("engine").String("tensor").Key("groups").Int(groups.size());
  Tiling first;
  int64_t workspace = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    workspace += static_cast<int64_t>(tilings[i].split) * parts[i].first.m * s.n * 4;
  }
  PartialSums sums(o.c, workspace, ctx);
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& [sg, og] = parts[i];
    if (first.tm == 0) first = tilings[i];
    EmitTiles(sg, og, tilings[i], ctx, cores, next, sums);
    out.flops += 2.0 * sg.m * sg.n * sg.k;
    row += sg.m;
  }
  sums.EmitCombine(out.program);
  if (row != total_m) {
    throw ConfigError("op '" + op.name() + "': group_rows sum to " + std::to_string(row) +
                      " but A has " + std::to_string(total_m) + " rows");
  }
  if (first.tm > 0) WriteChoices(json, s, first, ctx);
  json.EndObject();
  out.choices_json = json.str();
  return out;
}

}  // namespace dsasim::workloads
