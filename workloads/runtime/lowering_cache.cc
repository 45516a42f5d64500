#include "workloads/runtime/lowering_cache.h"

#include "arch_models/chip/chip.h"
#include "sim/error.h"
#include "workloads/graph/op_kind.h"
#include "workloads/lowering/lowering.h"

namespace dsasim::workloads {

std::string LoweringSignature(const v1::Operator& op, const LoweringContext& ctx) {
  v1::Operator kind_only = op;
  kind_only.clear_name();
  kind_only.clear_inputs();
  kind_only.clear_outputs();
  kind_only.clear_control_deps();
  kind_only.clear_layer();
  // The device does not change the program: every chip of a system is
  // alike, and the placement below is the chip's own.
  kind_only.clear_device();
  std::string sig = kind_only.SerializeAsString();
  auto add_operand = [&](const std::string& name) {
    v1::Tensor t = ctx.tensor(name);
    t.clear_name();
    t.clear_view_of();
    t.mutable_quantization()->clear_scale_tensor();
    const Placement& p = ctx.memory.at(name);
    sig += t.SerializeAsString();
    // The detailed HBM model maps the bits above the stripe to banks and
    // rows, and a cache tells layers apart by their lines, so there the
    // full address matters.
    uint64_t address = p.memory == arch::MemoryKind::kSharedSram ? 0
                       : arch::Chip::TimingIsStateless(ctx.chip)
                           ? p.address % ctx.memory.stripe_bytes()
                           : p.address;
    sig += std::to_string(static_cast<int>(p.memory)) + ":" + std::to_string(address) +
           ":" + std::to_string(p.bytes) + ";";
  };
  for (const std::string& name : op.inputs()) add_operand(name);
  sig += "|";
  for (const std::string& name : op.outputs()) add_operand(name);
  return sig;
}

const LoweringCache::Entry& LoweringCache::Lower(const v1::Operator& op,
                                                 const LoweringContext& ctx) {
  auto [it, inserted] = entries_.try_emplace(LoweringSignature(op, ctx));
  if (inserted) {
    try {
      it->second.op = LowerOperator(op, ctx);
    } catch (const MappingError& e) {
      entries_.erase(it);
      throw MappingError("op '" + op.name() + "' (" + std::string(OpKindName(op)) +
                         "): " + e.what());
    } catch (...) {
      entries_.erase(it);  // no entry survives a lowering that throws
      throw;
    }
    it->second.digest = it->second.op.program.Digest(ctx.memory.stripe_bytes());
  }
  return it->second;
}

}  // namespace dsasim::workloads
