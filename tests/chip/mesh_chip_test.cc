// The chip on a mesh or torus NoC: HBM transfers routed between the cores
// and the memory ports, with the costs derived by hand from the reservation
// rules of arch_models/interconnect/mesh_noc.h and arch_models/chip/chip.h.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arch_models/chip/chip.h"
#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "sim/simulator.h"
#include "sim/utilization_timeline.h"

namespace dsasim::arch {
namespace {

constexpr double kLink = 32e9;      // B/s per link direction
constexpr double kEndpoint = 64e9;  // B/s per injection/ejection channel
constexpr int64_t kBytes = 65536;   // per core; a whole number of HBM stripes

// A generic-DSA core on a width × height grid with its HBM ports on the left
// column. HBM is made far faster than the network so that the network is
// what the tests measure; launch overhead is zero.
ChipConfig MeshChip(int width, int height, const std::string& kind = "NOC_MESH") {
  v1::System s = LoadSystem("generic-dsa");
  for (const std::string& o : std::vector<std::string>{
           "chip.cores=" + std::to_string(width * height),
           "chip.noc.kind=" + kind,
           "chip.noc.width=" + std::to_string(width),
           "chip.noc.height=" + std::to_string(height),
           "chip.noc.port_bandwidth=32GB/s",
           "chip.noc.endpoint_bandwidth=64GB/s",
           "chip.noc.hop_latency=9ns",
           "chip.noc.endpoint_latency=5ns",
           "chip.noc.memory.placement=NOC_PLACEMENT_LEFT_COLUMN",
           "chip.hbm.stacks=1",
           "chip.hbm.channels_per_stack=4",
           "chip.hbm.data_rate=100Gbps",
       }) {
    ApplyOverride(s, o);
  }
  ChipConfig chip = ParseChipConfig(s, "test");
  chip.launch_overhead = Tick();
  return chip;
}

struct Result {
  OpStats op;
  std::vector<Tick> channel_free;
};

// Runs `program` alone on a fresh chip.
Result RunOnce(const ChipConfig& config, const OpProgram& program) {
  Simulator sim;
  UtilizationTimeline timeline;
  Chip chip(sim, config, &timeline, /*memoize=*/false);
  chip.Run(program, [] {});
  sim.Run();
  Result r{chip.last_op(), {}};
  for (int c = 0; c < chip.noc()->num_channels(); ++c) {
    r.channel_free.push_back(chip.noc()->ChannelFree(c));
  }
  return r;
}

// Every core loads kBytes from HBM, all at once.
OpProgram EveryCoreLoads(int cores) {
  OpProgram program;
  for (int c = 0; c < cores; ++c) {
    program.AddCore(c, 1).AddStep(
        {Transfer::Flat(MemoryKind::kHbm, false, static_cast<uint64_t>(c) * kBytes,
                        kBytes)},
        {}, {});
  }
  return program;
}

Tick Seconds(double s) { return Tick::FromSeconds(s); }

TEST(MeshChip, AReadPaysTheRequestPathAndTheMemoryLatencyBeforeItsData) {
  ChipConfig chip = MeshChip(4, 1);
  OpProgram program;
  program.AddCore(3, 1).AddStep({Transfer::Flat(MemoryKind::kHbm, false, 0, kBytes)}, {},
                                {});
  Result r = RunOnce(chip, program);
  // Core 3 and the memory port at (0,0) are 3 hops apart. The request
  // crosses them (2 interface crossings + 3 hops), the memory answers after
  // its latency, and the data crosses back, paced by the links:
  //   DMA setup + 2 · (2·5 ns + 3·9 ns) + HBM latency + B / link.
  const Tick path = chip.noc.endpoint_latency * 2 + chip.noc.hop_latency * 3;
  EXPECT_EQ(r.op.end - r.op.start,
            chip.dma.setup + path * 2 + chip.hbm.latency + Seconds(kBytes / kLink));
}

TEST(MeshChip, AWriteIsPacedByTheLinksAndOverlapsTheMemoryLatency) {
  ChipConfig chip = MeshChip(4, 1);
  OpProgram program;
  program.AddCore(3, 1).AddStep({}, {},
                                {Transfer::Flat(MemoryKind::kHbm, true, 0, kBytes)});
  Result r = RunOnce(chip, program);
  const Tick path = chip.noc.endpoint_latency * 2 + chip.noc.hop_latency * 3;
  EXPECT_EQ(r.op.end - r.op.start, chip.dma.setup + path + Seconds(kBytes / kLink));
}

TEST(MeshChip, EveryCoreLoadingAtOnceQueuesOnTheLinkOutOfTheMemoryColumn) {
  // Four cores in a row, the one memory port at (0,0). Derivation, with
  // inj = B / endpoint (the port's injection of one core's bytes) and
  // ser = B / link = 2·inj, t0 = DMA setup, fd0 = t0 + 2·5 ns + HBM latency
  // (core 0's first data; the others' follow within a few hops, ≪ inj):
  //   - the port injects the four loads back to back: core c at fd0 + c·inj;
  //   - cores 1–3 all leave over the link (0,0)→(1,0), FCFS: core 1 starts
  //     on it at fd0 + inj + 5 ns, core 2 when core 1 is done (+ ser), core
  //     3 at fd0 + 5·inj + 5 ns;
  //   - core 3's load then crosses 2 more links at hop spacing (free by
  //     then) and its router's ejection: it lands at
  //     fd0 + 5·inj + 5 ns + ser + 3·9 ns + 5 ns.
  // Op time = t0 + HBM latency + 4·5 ns + 3·9 ns + 7·inj.
  // Bandwidth alone (the port's injection of 4·B) would give 4·inj; the
  // shared link costs another 3·inj = 1.5 · B / link.
  ChipConfig chip = MeshChip(4, 1);
  Result r = RunOnce(chip, EveryCoreLoads(4));
  const Tick inj = Seconds(kBytes / kEndpoint);
  const Tick latency = chip.dma.setup + chip.hbm.latency + chip.noc.endpoint_latency * 4 +
                       chip.noc.hop_latency * 3;
  EXPECT_EQ(r.op.end - r.op.start, latency + inj * 7);
  const Tick bandwidth_only = inj * 4;
  EXPECT_EQ(r.op.end - r.op.start - latency - bandwidth_only,
            Seconds(1.5 * kBytes / kLink));
}

TEST(MeshChip, ATorusSendsTheFarthestLoadTheOtherWayRound) {
  // As above, but core 3 is one hop west of the port over the wraparound.
  // The link (0,0)→(1,0) carries cores 1 and 2 only (2 is half-way round,
  // a tie, which goes +): core 2 starts on it at fd0 + 3·inj + 5 ns and
  // lands at that + ser + 2·9 ns + 5 ns; core 3, injected at fd0 + 3·inj,
  // lands at fd0 + 5·inj + 9 ns + 2·5 ns, earlier.
  // Op time = t0 + HBM latency + 4·5 ns + 2·9 ns + 5·inj.
  ChipConfig chip = MeshChip(4, 1, "NOC_TORUS");
  Result r = RunOnce(chip, EveryCoreLoads(4));
  const Tick inj = Seconds(kBytes / kEndpoint);
  EXPECT_EQ(r.op.end - r.op.start, chip.dma.setup + chip.hbm.latency +
                                       chip.noc.endpoint_latency * 4 +
                                       chip.noc.hop_latency * 2 + inj * 5);
}

TEST(MeshChip, OneMemoryColumnOfAFourByFourMeshIsBoundByTheLinksOutOfIt) {
  // Four ports on the left column, one HBM channel each; every core's load
  // is split 4 ways (B/4 per port). With XY routing the link out of port y,
  // (0,y)→(1,y), carries port y's share of every core in columns 1–3:
  // 12 · B/4 = 3·B at the link rate, so the op takes at least 3·B / link
  // after the first data, while the ports' injection (16 · B/4 = 4·B each at
  // 2 × the link rate) alone would allow 2·B / link.
  ChipConfig chip = MeshChip(4, 4);
  Result r = RunOnce(chip, EveryCoreLoads(16));
  const Tick first_data =
      chip.dma.setup + chip.noc.endpoint_latency * 2 + chip.hbm.latency;
  const Tick link_bound = Seconds(3.0 * kBytes / kLink);
  const Tick bandwidth_only = Seconds(2.0 * kBytes / kLink);
  const Tick after_first_data = r.op.end - r.op.start - first_data;
  EXPECT_GE(after_first_data, link_bound);
  EXPECT_GE(after_first_data.Seconds() / bandwidth_only.Seconds(), 1.5);
}

TEST(MeshChip, EveryChannelIsFreeWhenTheOpEnds) {
  // What memoized replay relies on: the next op finds the network idle.
  for (const char* kind : {"NOC_MESH", "NOC_TORUS"}) {
    ChipConfig chip = MeshChip(4, 4, kind);
    Result r = RunOnce(chip, EveryCoreLoads(16));
    for (size_t c = 0; c < r.channel_free.size(); ++c) {
      EXPECT_LE(r.channel_free[c], r.op.end) << kind << " channel " << c;
    }
  }
}

TEST(MeshChip, TheBusiestChannelAndTheCoresChannelsAreAccounted) {
  ChipConfig chip = MeshChip(4, 1);
  Result r = RunOnce(chip, EveryCoreLoads(4));
  // The port's injection channel carries 4·B at the endpoint rate; the
  // link out of it 3·B at the link rate, the busiest.
  EXPECT_DOUBLE_EQ(r.op.noc_max_channel_busy_ps,
                   static_cast<double>(Seconds(3.0 * kBytes / kLink).ps()));
  // Each core's ejection channel carries its own B.
  EXPECT_DOUBLE_EQ(r.op.port_busy_ps,
                   4.0 * static_cast<double>(Seconds(kBytes / kEndpoint).ps()));
}

// A bug: a gather was routed as one flat stream at address 0 (the gather
// descriptor's own address), spreading its bytes over every memory port
// whatever its pieces' addresses. Pieces that all sit on channel 1 must come
// from the one port that serves it.
TEST(MeshChip, AGathersPiecesCrossFromThePortsTheirAddressesMapTo) {
  const ChipConfig config = MeshChip(2, 2);  // ports at (0,0), (0,1)
  ASSERT_EQ(config.noc.memory_routers.size(), 2u);
  const uint64_t interleave = static_cast<uint64_t>(config.hbm.interleave_bytes);
  const uint64_t stripe = interleave * static_cast<uint64_t>(config.hbm.channels());
  OpProgram program;
  CoreProgram& core = program.AddCore(3, 1);
  std::vector<GatherSegment> pieces;
  for (uint64_t k = 0; k < 8; ++k) {
    pieces.push_back({interleave + k * stripe, static_cast<int64_t>(interleave)});
  }
  const uint32_t first = core.AddSegments(pieces);
  core.AddStep({Transfer::Gather(MemoryKind::kHbm, false, first, 8, 8 * interleave,
                                 static_cast<int64_t>(interleave), 0)},
               {}, {});
  Simulator sim;
  UtilizationTimeline timeline;
  Chip chip(sim, config, &timeline, /*memoize=*/false);
  chip.Run(program, [] {});
  sim.Run();
  const MeshNoc& noc = *chip.noc();
  // Channel c is served by port c mod ports: channel 1 by port 1.
  EXPECT_EQ(noc.busy_ps().at(noc.InjectionChannel(config.cores + 0)), 0);
  EXPECT_GT(noc.busy_ps().at(noc.InjectionChannel(config.cores + 1)), 0);
}

}  // namespace
}  // namespace dsasim::arch
