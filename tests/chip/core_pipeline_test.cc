// A core's software pipeline (arch_models/chip/program.h): steps issue their
// loads as buffers free up and compute in program order.
#include <gtest/gtest.h>

#include "arch_models/chip/chip.h"
#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "sim/simulator.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {
namespace {

// A bug the simulation fuzzer found (the assert in Simulator::Schedule, in
// the sanitizer build): a step without loads, behind a step still waiting
// for its operands, was reserved from its own (earlier) ready time, and its
// completion was posted in the past; Release builds ran time backwards.
TEST(CorePipeline, AStepReadyBeforeTheStepAheadOfItCompletesAfterItsDispatch) {
  ChipConfig config = ParseChipConfig(LoadSystem("generic-dsa"), "generic-dsa");
  OpProgram program;
  CoreProgram& core = program.AddCore(0, /*buffers=*/2);
  // Step 0 waits for 1 MiB from HBM; step 1 has nothing to load or compute
  // and stores a little.
  core.AddStep({Transfer::Flat(MemoryKind::kHbm, false, 0, 1 << 20)},
               {{EngineKind::kVector, 1, 0}}, {});
  core.AddStep({}, {}, {Transfer::Flat(MemoryKind::kHbm, true, 1 << 21, 4096)});

  Simulator sim;
  Tick last;
  bool backwards = false;
  sim.set_trace_hook([&](Tick t, uint64_t) {
    backwards = backwards || t < last;
    last = t;
  });
  UtilizationTimeline timeline;
  Chip chip(sim, config, &timeline, /*memoize=*/false);
  chip.Run(program, [] {});
  sim.Run();
  EXPECT_FALSE(backwards);
  const OpStats& op = chip.last_op();
  // The store follows the 1 MiB load: the op cannot end before the load.
  EXPECT_GE(op.end.Seconds(), (1 << 20) / config.hbm.peak_bandwidth());
}

}  // namespace
}  // namespace dsasim::arch
