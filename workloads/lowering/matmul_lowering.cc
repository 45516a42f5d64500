#include "workloads/lowering/matmul_lowering.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "workloads/graph/dtype.h"

namespace dsasim::workloads {
namespace {

using arch::ComputePhase;
using arch::EngineKind;
using arch::Transfer;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Tiling {
  int64_t tm = 0, tn = 0, tk = 0;
  int split = 1;
  double estimate_s = 0;
};

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

bool NeedsDequant(const MatMulShape& s, const LoweringContext& ctx) {
  return !ctx.costs.TensorNative(s.b_dtype);
}

// The DMA transform that unpacks `dtype` on the way in, if the chip has it.
v1::DmaCapability UnpackCapability(v1::DType dtype, const LoweringContext& ctx) {
  v1::DmaCapability cap = dtype == v1::DTYPE_INT4       ? v1::DMA_INT4_UNPACK
                          : dtype == v1::DTYPE_FP4_E2M1 ? v1::DMA_FP4_UNPACK
                                                        : v1::DMA_CAPABILITY_UNSPECIFIED;
  if (cap == v1::DMA_CAPABILITY_UNSPECIFIED || !ctx.options.dma_transforms) return cap;
  return ctx.chip.dma.capabilities.count(cap) ? cap : v1::DMA_CAPABILITY_UNSPECIFIED;
}

// Seconds a core needs to move `bytes` when `active` cores share HBM.
double LoadSeconds(double bytes, int active, const LoweringContext& ctx) {
  const arch::ChipConfig& c = ctx.chip;
  double per_core = std::min(c.dma.bandwidth * c.dma.engines, c.noc.port_bandwidth);
  double share = c.hbm.peak_bandwidth() / std::max(1, active);
  return bytes / std::min(per_core, share);
}

double Estimate(const Tiling& t, const MatMulShape& s, const LoweringContext& ctx) {
  const int cores = ctx.chip.cores;
  int64_t tiles = CeilDiv(s.m, t.tm) * CeilDiv(s.n, t.tn) * t.split;
  int64_t ksteps = CeilDiv(CeilDiv(s.k, t.split), t.tk);
  int active = static_cast<int>(std::min<int64_t>(tiles, cores));
  double compute = ctx.costs.TensorCycles(std::min(t.tm, s.m), std::min(t.tn, s.n), t.tk,
                                          s.a_dtype) / ctx.chip.core_hz;
  if (NeedsDequant(s, ctx) && UnpackCapability(s.b_dtype, ctx) == v1::DMA_CAPABILITY_UNSPECIFIED) {
    compute += ctx.costs.VectorCycles({"dequant"}, t.tk * t.tn) / ctx.chip.vector.hz;
  }
  double step_bytes = t.tm * t.tk * DTypeBytes(s.a_dtype) + t.tk * t.tn * DTypeBytes(s.b_dtype);
  double load = LoadSeconds(step_bytes, active, ctx);
  double per_tile = ctx.buffers() >= 2 ? load + ksteps * std::max(compute, load)
                                       : ksteps * (compute + load);
  double waves = static_cast<double>(CeilDiv(tiles, cores));
  // Traffic: A is read once per column of tiles, B once per row of tiles.
  double traffic = CeilDiv(s.n, t.tn) * double(s.m) * s.k * DTypeBytes(s.a_dtype) +
                   CeilDiv(s.m, t.tm) * double(s.k) * s.n * DTypeBytes(s.b_dtype) +
                   t.split * double(s.m) * s.n * DTypeBytes(s.c_dtype);
  return std::max(waves * per_tile, traffic / ctx.chip.hbm.peak_bandwidth());
}

Tiling ChooseTiling(const MatMulShape& s, const LoweringContext& ctx) {
  static constexpr int64_t kSizes[] = {16, 32, 64, 128, 256, 512, 1024, 2048};
  static constexpr int kSplits[] = {1, 2, 4, 8};
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
          if (split > 1 && (tiles * split > 2 * ctx.chip.cores || s.k / split < tk)) break;
          Tiling t{tm, tn, tk, split, 0};
          if (FootprintBytes(t, s, ctx.buffers(), separate_acc) >
              ctx.chip.scratchpad.capacity_bytes) {
            continue;
          }
          t.estimate_s = Estimate(t, s, ctx);
          // Strictly better only: ties keep the earlier (smaller) candidate,
          // so the choice is deterministic.
          if (!found || t.estimate_s < best.estimate_s * (1 - 1e-9)) {
            best = t;
            found = true;
          }
        }
      }
    }
  }
  if (!found) {
    throw MappingError("matmul " + std::to_string(s.m) + "x" + std::to_string(s.k) + "x" +
                       std::to_string(s.n) + ": no tile fits the " +
                       std::to_string(static_cast<int64_t>(ctx.chip.scratchpad.capacity_bytes)) +
                       " B scratchpad with " + std::to_string(ctx.buffers()) + " buffers");
  }
  return best;
}

// Appends the pipelines of one (sub-)matmul to `program`, distributing its
// tiles round-robin over cores starting at `first_core`.
void EmitTiles(const MatMulShape& s, const MatMulOperands& o, const Tiling& t,
               const LoweringContext& ctx, std::vector<arch::CoreProgram*>& cores,
               int& next_core) {
  const double ab = DTypeBytes(s.a_dtype), bb = DTypeBytes(s.b_dtype),
               cb = DTypeBytes(s.c_dtype);
  const v1::DmaCapability unpack = UnpackCapability(s.b_dtype, ctx);
  const bool vector_dequant = NeedsDequant(s, ctx) && unpack == v1::DMA_CAPABILITY_UNSPECIFIED;
  const int64_t k_per_split = CeilDiv(s.k, t.split);
  for (int64_t i0 = 0; i0 < s.m; i0 += t.tm) {
    int64_t tm = std::min(t.tm, s.m - i0);
    for (int64_t j0 = 0; j0 < s.n; j0 += t.tn) {
      int64_t tn = std::min(t.tn, s.n - j0);
      for (int split = 0; split < t.split; ++split) {
        arch::CoreProgram& core = *cores[next_core];
        next_core = (next_core + 1) % static_cast<int>(cores.size());
        int64_t k_begin = split * k_per_split;
        int64_t k_end = std::min(s.k, k_begin + k_per_split);
        for (int64_t k0 = k_begin; k0 < k_end; k0 += t.tk) {
          int64_t tk = std::min(t.tk, k_end - k0);
          std::vector<Transfer> loads;
          loads.push_back(Transfer::Strided(
              o.a.memory, false,
              o.a.address + static_cast<uint64_t>((i0 * s.k + k0) * ab), tm,
              static_cast<int64_t>(tk * ab), static_cast<int64_t>(s.k * ab)));
          Transfer b = Transfer::Strided(
              o.b.memory, false,
              o.b.address + static_cast<uint64_t>((k0 * s.n + j0) * bb), tk,
              static_cast<int64_t>(std::ceil(tn * bb)), static_cast<int64_t>(std::ceil(s.n * bb)));
          b.transform = unpack;
          loads.push_back(b);
          if (s.group_size > 0) {
            double sb = DTypeBytes(s.scale_dtype);
            loads.push_back(Transfer::Strided(
                o.scales.memory, false,
                o.scales.address + static_cast<uint64_t>((k0 / s.group_size) * s.n * sb + j0 * sb),
                CeilDiv(tk, s.group_size), static_cast<int64_t>(tn * sb),
                static_cast<int64_t>(s.n * sb)));
          }
          std::vector<ComputePhase> compute;
          if (vector_dequant) {
            compute.push_back({EngineKind::kVector,
                               ctx.costs.VectorCycles({"dequant"}, tk * tn), 0});
          }
          compute.push_back({EngineKind::kTensor, ctx.costs.TensorCycles(tm, tn, tk, s.a_dtype),
                             2.0 * tm * tn * tk});
          std::vector<Transfer> stores;
          if (k0 + tk >= k_end) {
            // Split-K partials are accumulated in place by reduce-add writes
            // (fp32), the way split-K GEMMs use atomics; without split the
            // tile is written once in the output dtype.
            double out_bytes = t.split > 1 ? 4.0 : cb;
            Transfer c = Transfer::Strided(
                o.c.memory, true, o.c.address + static_cast<uint64_t>((i0 * s.n + j0) * cb), tm,
                static_cast<int64_t>(tn * out_bytes), static_cast<int64_t>(s.n * out_bytes));
            stores.push_back(c);
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
  json.Key("buffers").Int(ctx.buffers());
  json.Key("estimate_s").Number(t.estimate_s);
  v1::DmaCapability unpack = UnpackCapability(s.b_dtype, ctx);
  json.Key("dequant").String(!NeedsDequant(s, ctx)                            ? "none"
                             : unpack != v1::DMA_CAPABILITY_UNSPECIFIED ? "dma"
                                                                        : "vector");
}

std::vector<arch::CoreProgram*> AllCores(arch::OpProgram& program, const LoweringContext& ctx) {
  for (int c = 0; c < ctx.chip.cores; ++c) program.AddCore(c, ctx.buffers());
  std::vector<arch::CoreProgram*> cores;
  for (auto& c : program.cores) cores.push_back(&c);
  return cores;
}

}  // namespace

LoweredOp LowerMatMulShape(const MatMulShape& shape, const MatMulOperands& operands,
                           const LoweringContext& ctx) {
  LoweredOp out;
  Tiling t = ChooseTiling(shape, ctx);
  std::vector<arch::CoreProgram*> cores = AllCores(out.program, ctx);
  int next = 0;
  EmitTiles(shape, operands, t, ctx, cores, next);
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
  s.n = b.layout() == v1::LAYOUT_COL_MAJOR ? b.shape(b.shape_size() - 2)
                                           : b.shape(b.shape_size() - 1);
  s.a_dtype = a.dtype();
  s.b_dtype = b.dtype();
  s.c_dtype = c.dtype();
  MatMulOperands o{ctx.memory.at(a.name()), ctx.memory.at(b.name()), ctx.memory.at(c.name()),
                   {}};
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
  std::vector<arch::CoreProgram*> cores = AllCores(out.program, ctx);
  int next = 0;
  const int64_t total_m = s.m;
  int64_t row = 0;
  JsonWriter json;
  json.BeginObject().Key("engine").String("tensor").Key("groups").Int(groups.size());
  Tiling first;
  for (int g = 0; g < groups.size(); ++g) {
    MatMulShape sg = s;
    sg.m = groups[g];
    if (sg.m == 0) continue;
    MatMulOperands og = o;
    og.a.address += static_cast<uint64_t>(row * s.k * DTypeBytes(s.a_dtype));
    og.c.address += static_cast<uint64_t>(row * s.n * DTypeBytes(s.c_dtype));
    og.b.address += static_cast<uint64_t>(g * s.k * s.n * DTypeBytes(s.b_dtype));
    Tiling t = ChooseTiling(sg, ctx);
    if (first.tm == 0) first = t;
    EmitTiles(sg, og, t, ctx, cores, next);
    out.flops += 2.0 * sg.m * sg.n * sg.k;
    row += sg.m;
  }
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
