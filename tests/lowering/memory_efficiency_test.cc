// A kernel's memory efficiency (ChipSpec.op_memory_efficiencies): the op's
// logical traffic is served no faster than efficiency × peak HBM bandwidth,
// and re-reads of a multi-pass lowering do not count against it.
#include <gtest/gtest.h>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "tests/lowering/graph_fixtures.h"
#include "workloads/runtime/executor.h"

namespace dsasim::workloads {
namespace {

using dsasim::testing::AddTensor;

v1::OperatorGraph Softmax(int64_t m, int64_t n) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("softmax");
  g.set_num_devices(1);
  g.mutable_origin()->set_phase(v1::PHASE_PREFILL);
  g.mutable_origin()->set_batch(1);
  g.mutable_origin()->set_seq_len(m);
  AddTensor(g, "x", {m, n}, v1::PLACEMENT_ACTIVATION, v1::DTYPE_FP16);
  AddTensor(g, "y", {m, n}, v1::PLACEMENT_ACTIVATION, v1::DTYPE_FP16);
  v1::Operator* op = g.add_ops();
  op->set_name("softmax");
  op->add_inputs("x");
  op->add_outputs("y");
  op->mutable_softmax();
  return g;
}

// The op's time after its launch, in seconds.
double WorkSeconds(const v1::OperatorGraph& g, const arch::ChipConfig& chip) {
  return ExecuteGraph(g, chip, {}).makespan.Seconds() -
         chip.LaunchOverhead("softmax").Seconds();
}

arch::ChipConfig A100WithSoftmaxEfficiency(double efficiency) {
  arch::ChipConfig chip = arch::ParseChipConfig(arch::LoadSystem("a100"), "a100");
  chip.op_memory_efficiencies["softmax"] = efficiency;
  return chip;
}

TEST(MemoryEfficiency, ACappedKernelMovesItsBytesAtTheCapNotFaster) {
  // 4096 × 8192 fp16 in and out: 64 MB each, too large for half the L2, so
  // both live in HBM; each row fits the scratchpad (one pass).
  const v1::OperatorGraph g = Softmax(4096, 8192);
  const double logical = 2.0 * 4096 * 8192 * 2;
  const arch::ChipConfig capped = A100WithSoftmaxEfficiency(0.5);
  const double at_cap = logical / (0.5 * capped.hbm.peak_bandwidth());
  const double t = WorkSeconds(g, capped);
  EXPECT_GE(t, at_cap);
  // The cap binds, so only pipeline fill and drain (latency, one step)
  // come on top of it.
  EXPECT_LE(t, 1.05 * at_cap);
  // Uncapped, the same op streams at the HBM model's rate, well above half
  // of peak.
  EXPECT_LT(WorkSeconds(g, A100WithSoftmaxEfficiency(1.0)), 0.7 * t);
}

TEST(MemoryEfficiency, ReReadsOfATwoPassLoweringDoNotCountAgainstTheCap) {
  // Rows of 32768 fp16 (64 KiB in and out) do not fit A100's 164 KiB
  // scratchpad twice over, so the lowering reads each row twice, the second
  // time from L2. The cap is per logical byte: the time stays that of the
  // input read once and the output written once.
  const v1::OperatorGraph g = Softmax(1024, 32768);
  const double logical = 2.0 * 1024 * 32768 * 2;
  const arch::ChipConfig capped = A100WithSoftmaxEfficiency(0.5);
  const double at_cap = logical / (0.5 * capped.hbm.peak_bandwidth());
  const double t = WorkSeconds(g, capped);
  EXPECT_GE(t, at_cap);
  EXPECT_LE(t, 1.10 * at_cap) << "the re-read was charged to the cap";
}

}  // namespace
}  // namespace dsasim::workloads
