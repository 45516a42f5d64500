// Spec tests of the chip's DMA mechanisms: transforms and their costs,
// gathers of scattered pieces, reduce-add stores, descriptor-address
// generation on the scalar engine, and the epilogue barrier. Each builds a
// tiny program by hand, derives the expected effect from the configuration
// and checks the chip charges it.
#include <gtest/gtest.h>

#include <string>

#include "arch_models/chip/chip.h"
#include "arch_models/chip/system_loader.h"
#include "arch_models/dma/dma_transforms.h"
#include "sim/error.h"
#include "sim/simulator.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {
namespace {

ChipConfig Config(const std::string& preset) {
  ChipConfig c = ParseChipConfig(LoadSystem(preset), preset);
  // The executor pays launches; these tests look at the program alone.
  c.launch_overhead = Tick();
  return c;
}

struct Ran {
  OpStats stats;
  TransferTotals totals;
};

Ran RunProgram(const ChipConfig& config, const OpProgram& program) {
  Simulator sim;
  UtilizationTimeline timeline;
  Chip chip(sim, config, &timeline, /*memoize=*/false);
  chip.Run(program, [] {});
  sim.Run();
  return {chip.last_op(), chip.transfers()};
}

double Seconds(const OpStats& s) { return (s.end - s.start).Seconds(); }

TEST(DmaTransforms, AChipWithoutTheCapabilityRejectsATransferThatAsksForIt) {
  // The H100 preset has no DMA transforms (dequant and gathers are SM code).
  ChipConfig h100 = Config("h100");
  ASSERT_EQ(h100.dma.capabilities.count(v1::DMA_SCALE), 0u);
  OpProgram program;
  program.AddCore(0, 2).AddStep(
      {Transfer::Flat(MemoryKind::kHbm, false, 0, 4096).With(v1::DMA_SCALE)}, {}, {});
  try {
    RunProgram(h100, program);
    FAIL() << "expected MappingError";
  } catch (const MappingError& e) {
    EXPECT_NE(std::string(e.what()).find("DMA_SCALE"), std::string::npos) << e.what();
  }
}

TEST(DmaTransforms, SeveralOnOneDescriptorRunAtTheSlowestRateAndPayEverySetup) {
  std::map<v1::DmaCapability, DmaCapabilityConfig> caps{
      {v1::DMA_INT4_UNPACK, {1.0, Tick::FromNs(20)}},
      {v1::DMA_SCALE, {0.8, Tick::FromNs(30)}},
      {v1::DMA_TRANSPOSE, {0.9, Tick::FromNs(5)}}};
  DmaTransforms t;
  t.Add(v1::DMA_INT4_UNPACK).Add(v1::DMA_SCALE);
  DmaCapabilityConfig cost = TransformCost(caps, t);
  EXPECT_DOUBLE_EQ(cost.throughput_fraction, 0.8);
  EXPECT_EQ(cost.setup, Tick::FromNs(50));
  EXPECT_EQ(t.Names(), "DMA_INT4_UNPACK+DMA_SCALE");
  EXPECT_DOUBLE_EQ(TransformCost(caps, DmaTransforms()).throughput_fraction, 1.0);
  EXPECT_EQ(TransformCost(caps, DmaTransforms()).setup, Tick());
}

TEST(DmaReduceAdd, AReduceAddStoreReadsTheDestinationBeforeWritingTheSum) {
  // Derivation: the old values leave the memory array before the sum goes
  // back, so HBM carries twice the payload; the DMA engine works at the
  // capability's fraction of its rate.
  ChipConfig chip = Config("generic-dsa");
  chip.dma.capabilities[v1::DMA_REDUCE_ADD] = {0.5, Tick::FromNs(20)};
  const int64_t bytes = 1 << 20;
  auto store = [&](bool reduce) {
    Transfer t = Transfer::Flat(MemoryKind::kHbm, true, 0, bytes);
    if (reduce) t.With(v1::DMA_REDUCE_ADD);
    OpProgram program;
    program.AddCore(0, 2).AddStep({}, {}, {t});
    return RunProgram(chip, program);
  };
  Ran plain = store(false), reduce = store(true);
  EXPECT_DOUBLE_EQ(plain.stats.hbm_bytes, bytes);
  EXPECT_DOUBLE_EQ(reduce.stats.hbm_bytes, 2.0 * bytes);
  const DmaCapabilityConfig& cap = chip.dma.capabilities.at(v1::DMA_REDUCE_ADD);
  EXPECT_NEAR(reduce.stats.dma_busy_ps * 1e-12,
              bytes / (chip.dma.bandwidth * cap.throughput_fraction), 1e-9);
  EXPECT_GT(Seconds(reduce.stats), Seconds(plain.stats));
  EXPECT_DOUBLE_EQ(reduce.totals.bytes_issued, reduce.totals.bytes_delivered);
}

TEST(DmaGather, OneDescriptorMovesEveryPieceAndPaysTheSetupOnce) {
  ChipConfig chip = Config("generic-dsa");
  chip.dma.capabilities[v1::DMA_GATHER_SCATTER] = {0.8, Tick::FromNs(600)};
  const DmaCapabilityConfig& cap = chip.dma.capabilities.at(v1::DMA_GATHER_SCATTER);
  // Eight 4 KiB pieces 1 MiB apart.
  std::vector<GatherSegment> pieces;
  for (uint64_t i = 0; i < 8; ++i) pieces.push_back({i << 20, 4096});
  OpProgram program;
  CoreProgram& core = program.AddCore(0, 2);
  uint32_t first = core.AddSegments(pieces);
  core.AddStep({Transfer::Gather(MemoryKind::kHbm, false, first, 8, 8 * 4096, 4096, 0)},
               {}, {});
  Ran ran = RunProgram(chip, program);
  EXPECT_EQ(ran.stats.descriptors, 1);
  EXPECT_DOUBLE_EQ(ran.stats.hbm_bytes, 8 * 4096);
  EXPECT_DOUBLE_EQ(ran.totals.bytes_delivered, 8 * 4096);
  // The engine is busy for the bytes at the capability's rate; the setup
  // (base + capability) comes before it once.
  EXPECT_NEAR(ran.stats.dma_busy_ps * 1e-12,
              8 * 4096 / (chip.dma.bandwidth * cap.throughput_fraction), 1e-12);
  EXPECT_GE(Seconds(ran.stats), (chip.dma.setup + cap.setup).Seconds());
}

TEST(DmaGather, APieceListWithoutTheGatherTransformIsRejected) {
  ChipConfig chip = Config("generic-dsa");
  OpProgram program;
  CoreProgram& core = program.AddCore(0, 2);
  Transfer t = Transfer::Gather(MemoryKind::kHbm, false, core.AddSegments({{0, 64}}), 1,
                                64, 64, 0);
  t.transforms = DmaTransforms();
  core.AddStep({t}, {}, {});
  EXPECT_THROW(RunProgram(chip, program), MappingError);
}

TEST(AddressGeneration, AStepsLoadsWaitForTheScalarEngineToComputeTheirAddresses) {
  // Derivation: the loads issue when the scalar engine has spent
  // `cycles` at its clock, so the step ends no earlier than that plus the
  // load, and the scalar engine shows exactly that busy time.
  ChipConfig chip = Config("generic-dsa");
  const double cycles = 5000;
  auto run = [&](double address_cycles) {
    OpProgram program;
    program.AddCore(0, 2).AddStep({Transfer::Flat(MemoryKind::kHbm, false, 0, 4096)}, {},
                                  {}, address_cycles);
    return RunProgram(chip, program);
  };
  Ran without = run(0), with = run(cycles);
  const double scalar_s = cycles / chip.scalar.hz;
  EXPECT_NEAR(with.stats.engine_busy_ps[2] * 1e-12, scalar_s, 1e-12);
  EXPECT_EQ(without.stats.engine_busy_ps[2], 0);
  EXPECT_NEAR(Seconds(with.stats), Seconds(without.stats) + scalar_s, 1e-11);
}

TEST(Epilogue, StartsOnlyAfterEveryCoreOfTheMainProgramHasFinished) {
  // Core 0 computes for 10 µs, core 1 for 1 µs; core 1's epilogue step (1
  // µs) must wait for core 0: the op takes 11 µs, not 10.
  ChipConfig chip = Config("generic-dsa");
  const double us = chip.vector.hz * 1e-6;
  OpProgram program;
  program.AddCore(0, 2).AddStep({}, {{EngineKind::kVector, 10 * us, 0}}, {});
  program.AddCore(1, 2).AddStep({}, {{EngineKind::kVector, us, 0}}, {});
  program.AddEpilogueCore(1, 2).AddStep({}, {{EngineKind::kVector, us, 0}}, {});
  Ran ran = RunProgram(chip, program);
  EXPECT_NEAR(Seconds(ran.stats), 11e-6, 1e-12);
  EXPECT_EQ(ran.stats.active_cores, 2);
}

}  // namespace
}  // namespace dsasim::arch
