#include "workloads/lowering/vector_lowering.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "sim/error.h"
#include "sim/json_writer.h"
#include "workloads/graph/dtype.h"
#include "workloads/lowering/gather.h"

namespace dsasim::workloads {
namespace {

using arch::ComputePhase;
using arch::EngineKind;
using arch::Transfer;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The vector instructions an operator issues per element, and FLOPs per
// element for the record. Per-row scalar work (rsqrt of a norm) is charged
// on the scalar engine.
struct Recipe {
  std::vector<std::string_view> per_element;
  std::vector<std::string_view> per_row;
  double flops_per_element = 1;
};

Recipe RecipeFor(const v1::Operator& op) {
  switch (op.kind_case()) {
    case v1::Operator::kNorm:
      if (op.norm().kind() == v1::NORM_LAYER) {
        return {{"sum", "add", "mul", "sum", "fma", "mul"}, {"rsqrt"}, 7};
      }
      return {{"mul", "sum", "mul", "mul"}, {"rsqrt"}, 4};
    case v1::Operator::kSoftmax:
      return {{"max_reduce", "add", "exp", "sum", "mul"}, {"reciprocal"}, 5};
    case v1::Operator::kActivation:
      switch (op.activation().kind()) {
        case v1::ACTIVATION_SWIGLU:
          return {{"silu", "mul"}, {}, 5};
        case v1::ACTIVATION_GEGLU:
          return {{"gelu", "mul"}, {}, 9};
        case v1::ACTIVATION_GELU:
          return {{"gelu"}, {}, 8};
        case v1::ACTIVATION_RELU:
          return {{"max"}, {}, 1};
        default:
          return {{"silu"}, {}, 4};
      }
    case v1::Operator::kElementwise:
      switch (op.elementwise().kind()) {
        case v1::ELEMENTWISE_MUL:
          return {{"mul"}, {}, 1};
        case v1::ELEMENTWISE_COPY:
          return {{"copy"}, {}, 0};
        case v1::ELEMENTWISE_SCALE:
          return {{"mul"}, {}, 1};
        default:
          return {{"add"}, {}, 1};
      }
    case v1::Operator::kRope:
      return {{"mul", "fma"}, {}, 3};
    case v1::Operator::kMoeRouter:
      return {{"exp", "sum", "max_reduce", "max_reduce"}, {}, 4};
    case v1::Operator::kMoeCombine:
      return {{"fma"}, {}, 2};
    default:
      throw ConfigError("op '" + op.name() + "': no vector lowering for this kind");
  }
}

double Cycles(const LoweringContext& ctx, const std::vector<std::string_view>& ops,
              int64_t elements, bool scalar) {
  double cycles = 0;
  for (std::string_view o : ops) {
    cycles += scalar ? ctx.costs.ScalarCycles({o}, elements)
                     : ctx.costs.VectorCycles({o}, elements);
  }
  return cycles;
}

struct Operand {
  Placement place;
  double row_bytes;
  // A gathered input (MoE combine's expert outputs): each row is `pieces`
  // rows of the input, at scattered positions among its `source_rows`.
  int64_t pieces = 0;
  int64_t source_rows = 0;
};

// The loads of `o` for rows [r0, r0 + n), columns [offset, offset +
// fraction) of each row, appended to `loads`; returns the pieces whose
// addresses the scalar engine computes.
int64_t LoadRows(arch::CoreProgram& core, const Operand& o, int64_t r0, int64_t n,
                 double offset, double fraction, arch::MemoryKind from,
                 const LoweringContext& ctx, std::vector<Transfer>& loads) {
  if (o.pieces == 0) {
    loads.push_back(Transfer::Flat(
        from, false, o.place.address + static_cast<uint64_t>((r0 + offset) * o.row_bytes),
        static_cast<int64_t>(n * fraction * o.row_bytes)));
    return 0;
  }
  const double piece = o.row_bytes / static_cast<double>(o.pieces);
  ScatteredPieces p{from, false, 0, 0, {}};
  for (int64_t r = r0; r < r0 + n; ++r) {
    for (int64_t j = 0; j < o.pieces; ++j) {
      const int64_t source = ScatteredIndex(ctx.seed, r * o.pieces + j, o.source_rows);
      p.pieces.push_back(
          {o.place.address + static_cast<uint64_t>((source + offset) * piece),
           static_cast<int64_t>(fraction * piece)});
    }
  }
  return AddScattered(core, p, ctx, loads);
}

// Rows of `bytes_per_row` that fit the scratchpad with the pipeline's buffers.
int64_t RowsThatFit(double bytes_per_row, const LoweringContext& ctx) {
  return static_cast<int64_t>(ctx.chip.scratchpad.capacity_bytes /
                              (ctx.buffers() * std::max(1.0, bytes_per_row)));
}

// Splits `rows` rows over the cores in chunks of whole rows; every chunk
// loads its slice of each input, runs `phases(rows_in_chunk)`, and stores its
// slice of each output.
// REQUIRES: one row fits (RowsThatFit ≥ 1).
template <typename Phases>
arch::OpProgram RowPipelines(int64_t rows, const std::vector<Operand>& inputs,
                             const std::vector<Operand>& outputs,
                             const std::vector<Transfer>& resident,
                             const LoweringContext& ctx, Phases phases,
                             int64_t* chunk_rows_out) {
  double bytes_per_row = 0;
  for (const Operand& o : inputs) bytes_per_row += o.row_bytes;
  for (const Operand& o : outputs) bytes_per_row += o.row_bytes;
  int64_t fit = RowsThatFit(bytes_per_row, ctx);
  // Enough chunks to occupy every core, each as large as fits.
  int64_t chunk = std::max<int64_t>(1, std::min(fit, CeilDiv(rows, ctx.chip.cores)));
  *chunk_rows_out = chunk;
  arch::OpProgram program;
  for (int c = 0; c < ctx.chip.cores; ++c) program.AddCore(c, ctx.buffers());
  int next = 0;
  for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
    int64_t n = std::min(chunk, rows - r0);
    std::vector<Transfer> loads, stores;
    // A core's first chunk also brings in the op's constants.
    if (program.cores[next].steps.empty()) loads = resident;
    int64_t address_pieces = 0;
    for (const Operand& o : inputs) {
      address_pieces +=
          LoadRows(program.cores[next], o, r0, n, 0, 1, o.place.memory, ctx, loads);
    }
    for (const Operand& o : outputs) {
      stores.push_back(Transfer::Flat(
          o.place.memory, true, o.place.address + static_cast<uint64_t>(r0 * o.row_bytes),
          static_cast<int64_t>(n * o.row_bytes)));
    }
    program.cores[next].AddStep(loads, phases(n), stores,
                                AddressCycles(address_pieces, ctx));
    next = (next + 1) % ctx.chip.cores;
  }
  return program;
}

int64_t RowLength(const v1::Tensor& t) {
  return t.shape_size() == 0 ? 1 : t.shape(t.shape_size() - 1);
}

bool IsReduction(std::string_view op) { return op == "sum" || op == "max_reduce"; }

// A row too long for the scratchpad, reduced in two passes over column
// blocks, as a GPU's looped reduction or a DSA's blocked normalisation does:
// pass 1 streams the row's input blocks through the statistics (every
// instruction up to the recipe's last reduction, then the per-row scalar
// work); pass 2 streams them again through the rest and stores the output.
// Rows go round-robin over the cores. The second read of a row comes from
// the shared SRAM when the rows all cores have in flight fit half of it —
// the row was fetched a moment ago, as a GPU's L2 keeps it between the two
// loops — and from the input's own memory otherwise.
arch::OpProgram TwoPassRows(int64_t rows, int64_t cols,
                            const std::vector<Operand>& inputs,
                            const std::vector<Operand>& outputs,
                            const std::vector<Transfer>& resident, const Recipe& recipe,
                            const LoweringContext& ctx, int64_t* block_cols_out) {
  double in_row = 0, out_row = 0;
  for (const Operand& o : inputs) in_row += o.row_bytes;
  for (const Operand& o : outputs) out_row += o.row_bytes;
  const double per_col = (in_row + out_row) / static_cast<double>(cols);
  int64_t block = RowsThatFit(per_col, ctx);
  if (block < 1) {
    throw MappingError("one column of " + std::to_string(per_col) +
                       " B does not fit the scratchpad with " +
                       std::to_string(ctx.buffers()) + " buffers");
  }
  block = std::min(block, cols);
  *block_cols_out = block;
  size_t last_reduction = 0;
  for (size_t i = 0; i < recipe.per_element.size(); ++i) {
    if (IsReduction(recipe.per_element[i])) last_reduction = i + 1;
  }
  const std::vector<std::string_view> stats(recipe.per_element.begin(),
                                            recipe.per_element.begin() + last_reduction);
  const std::vector<std::string_view> apply(recipe.per_element.begin() + last_reduction,
                                            recipe.per_element.end());
  const arch::SharedSramConfig& l2 = ctx.chip.shared_sram;
  const bool reread_from_l2 =
      l2.addressable() && ctx.chip.cores * in_row <= l2.capacity_bytes / 2;

  arch::OpProgram program;
  for (int c = 0; c < ctx.chip.cores; ++c) program.AddCore(c, ctx.buffers());
  for (int64_t r = 0; r < rows; ++r) {
    arch::CoreProgram& core = program.cores[r % ctx.chip.cores];
    for (int pass = 0; pass < 2; ++pass) {
      for (int64_t c0 = 0; c0 < cols; c0 += block) {
        const int64_t n = std::min(block, cols - c0);
        const double fraction = static_cast<double>(n) / static_cast<double>(cols);
        const double offset = static_cast<double>(c0) / static_cast<double>(cols);
        std::vector<Transfer> loads, stores;
        if (core.steps.empty()) loads = resident;
        int64_t address_pieces = 0;
        for (const Operand& o : inputs) {
          arch::MemoryKind from = pass == 1 && reread_from_l2
                                      ? arch::MemoryKind::kSharedSram
                                      : o.place.memory;
          const size_t first_new = loads.size();
          address_pieces += LoadRows(core, o, r, 1, offset, fraction, from, ctx, loads);
          for (size_t i = first_new; i < loads.size(); ++i)
            loads[i].extra_pass = pass == 1;
        }
        const std::vector<std::string_view>& ops = pass == 0 ? stats : apply;
        std::vector<ComputePhase> phases{{EngineKind::kVector, Cycles(ctx, ops, n, false),
                                          recipe.flops_per_element * n / 2}};
        if (pass == 0 && c0 + n >= cols && !recipe.per_row.empty()) {
          phases.push_back(
              {EngineKind::kScalar, Cycles(ctx, recipe.per_row, 1, true), 1});
        }
        if (pass == 1) {
          for (const Operand& o : outputs) {
            stores.push_back(Transfer::Flat(
                o.place.memory, true,
                o.place.address + static_cast<uint64_t>((r + offset) * o.row_bytes),
                static_cast<int64_t>(fraction * o.row_bytes)));
          }
        }
        core.AddStep(loads, phases, stores, AddressCycles(address_pieces, ctx));
      }
    }
  }
  return program;
}

}  // namespace

LoweredOp LowerVectorOp(const v1::Operator& op, const LoweringContext& ctx) {
  const v1::Tensor& out = ctx.tensor(op.outputs(0));
  // Element-wise kinds have no row structure to respect: they are split by
  // elements, so a 1-D tensor (or one long row) spreads over every core
  // instead of landing on one.
  const bool elementwise = op.kind_case() == v1::Operator::kActivation ||
                           op.kind_case() == v1::Operator::kElementwise;
  const int64_t cols = elementwise ? 1 : RowLength(out);
  const int64_t rows = TensorElements(out) / std::max<int64_t>(1, cols);
  Recipe recipe = RecipeFor(op);

  std::vector<Operand> inputs, outputs;
  std::vector<Transfer> resident;
  for (const std::string& name : op.inputs()) {
    const v1::Tensor& t = ctx.tensor(name);
    // Per-row inputs (activations) stream; small constants (norm weights,
    // rope tables, scales) are loaded whole, once per core, and stay in the
    // scratchpad for the op.
    bool streamed = TensorElements(t) >= TensorElements(out) / 2;
    const Placement& place = ctx.memory.at(name);
    if (streamed) {
      Operand o{place, TensorBytes(t) / static_cast<double>(rows)};
      if (op.kind_case() == v1::Operator::kMoeCombine) {
        // Each token's top-k expert rows lie where routing put them.
        o.source_rows = TensorElements(t) / std::max<int64_t>(1, RowLength(t));
        o.pieces = std::max<int64_t>(1, o.source_rows / std::max<int64_t>(1, rows));
      }
      inputs.push_back(o);
    } else {
      resident.push_back(
          Transfer::Flat(place.memory, false, place.address, TensorBytes(t)));
    }
  }
  for (const std::string& name : op.outputs()) {
    const v1::Tensor& t = ctx.tensor(name);
    outputs.push_back({ctx.memory.at(name), TensorBytes(t) / static_cast<double>(rows)});
  }
  const bool gathered = std::any_of(inputs.begin(), inputs.end(),
                                    [](const Operand& o) { return o.pieces > 0; });
  int64_t chunk = 0;
  LoweredOp lowered;
  double bytes_per_row = 0;
  for (const Operand& o : inputs) bytes_per_row += o.row_bytes;
  for (const Operand& o : outputs) bytes_per_row += o.row_bytes;
  if (RowsThatFit(bytes_per_row, ctx) < 1) {
    int64_t block = 0;
    lowered.program =
        TwoPassRows(rows, cols, inputs, outputs, resident, recipe, ctx, &block);
    lowered.flops = recipe.flops_per_element * rows * cols;
    JsonWriter json;
    json.BeginObject()
        .Key("engine")
        .String("vector")
        .Key("rows")
        .Int(rows)
        .Key("cols")
        .Int(cols);
    json.Key("passes")
        .Int(2)
        .Key("block_cols")
        .Int(block)
        .Key("buffers")
        .Int(ctx.buffers());
    if (gathered) json.Key("gather").String(GatherEngineName(ctx));
    json.EndObject();
    lowered.choices_json = json.str();
    return lowered;
  }
  lowered.program = RowPipelines(
      rows, inputs, outputs, resident, ctx,
      [&](int64_t n) {
        std::vector<ComputePhase> phases{
            {EngineKind::kVector, Cycles(ctx, recipe.per_element, n * cols, false),
             recipe.flops_per_element * n * cols}};
        if (!recipe.per_row.empty()) {
          phases.push_back(
              {EngineKind::kScalar, Cycles(ctx, recipe.per_row, n, true), double(n)});
        }
        return phases;
      },
      &chunk);
  lowered.flops = recipe.flops_per_element * rows * cols;
  JsonWriter json;
  json.BeginObject().Key("engine").String("vector").Key("rows").Int(rows).Key("cols").Int(
      cols);
  json.Key("chunk_rows").Int(chunk).Key("buffers").Int(ctx.buffers());
  // Which engine walked the index list of a gathered input.
  if (gathered) json.Key("gather").String(GatherEngineName(ctx));
  json.EndObject();
  lowered.choices_json = json.str();
  return lowered;
}

}  // namespace dsasim::workloads
