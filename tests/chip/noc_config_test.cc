// Parsing and validation of chip.noc for meshes and tori: every mistake is a
// ConfigError naming the field and the value.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "sim/error.h"

namespace dsasim::arch {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string ParseError(const v1::System& s) {
  return ErrorOf([&] { ParseChipConfig(s, "test"); });
}

bool Mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MeshNocConfig, TheMeshDsaPresetIsAnEightByEightMeshWithWormholeLinks) {
  ChipConfig chip = ParseChipConfig(LoadSystem("mesh-dsa"), "mesh-dsa");
  EXPECT_EQ(chip.noc.kind, v1::NOC_MESH);
  EXPECT_EQ(chip.noc.width * chip.noc.height, chip.cores);
  // component_refs.md §4.5: 32 B/cycle/link at 1 GHz, 9 cycles per hop,
  // ~5 cycles network interface.
  EXPECT_DOUBLE_EQ(chip.noc.port_bandwidth, 32e9);
  EXPECT_EQ(chip.noc.hop_latency, Tick::FromNs(9));
  EXPECT_EQ(chip.noc.endpoint_latency, Tick::FromNs(5));
  // hardware_specs.md §1.5: 4.096 TFLOP/s per tile at one fidelity phase,
  // bf16 at two: 64 × 2.048 TFLOP/s.
  EXPECT_NEAR(chip.PeakFlops(v1::DTYPE_BF16), 64 * 2.048e12, 1e9);
  EXPECT_EQ(chip.noc.memory_routers.size(), 16u);
}

TEST(MeshNocConfig, PlacementRulesPutThePortsOnTheirRouters) {
  v1::System s = LoadSystem("mesh-dsa");
  auto columns = [&](const std::string& rule) {
    ApplyOverride(s, "chip.noc.memory.placement=" + rule);
    std::vector<int> xs, ys;
    for (int r : ParseChipConfig(s, "test").noc.memory_routers) {
      xs.push_back(r % 8);
      ys.push_back(r / 8);
    }
    return std::make_pair(xs, ys);
  };
  // Row-major: (0,0), (7,0), (0,1), (7,1), ...
  auto [edge_x, edge_y] = columns("NOC_PLACEMENT_EDGE_COLUMNS");
  ASSERT_EQ(edge_x.size(), 16u);
  EXPECT_EQ(edge_x[0], 0);
  EXPECT_EQ(edge_x[1], 7);
  EXPECT_EQ(edge_y[2], 1);
  auto [split_x, split_y] = columns("NOC_PLACEMENT_SPLIT_COLUMNS");
  for (int x : split_x) EXPECT_TRUE(x == 0 || x == 4) << x;
  auto [left_x, left_y] = columns("NOC_PLACEMENT_LEFT_COLUMN");
  EXPECT_EQ(left_x, std::vector<int>(8, 0));
  auto [rows_x, rows_y] = columns("NOC_PLACEMENT_EDGE_ROWS");
  for (int y : rows_y) EXPECT_TRUE(y == 0 || y == 7) << y;
}

TEST(MeshNocConfig, ATorusIsOneOverrideAway) {
  v1::System s = LoadSystem("mesh-dsa");
  ApplyOverride(s, "chip.noc.kind=NOC_TORUS");
  EXPECT_EQ(ParseChipConfig(s, "test").noc.kind, v1::NOC_TORUS);
}

TEST(MeshNocConfig, AGridThatDoesNotHoldTheCoresNamesWidthHeightAndCores) {
  v1::System s = LoadSystem("mesh-dsa");
  ApplyOverride(s, "chip.noc.width=7");
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.width")) << err;
  EXPECT_TRUE(Mentions(err, "7 × 8 = 56")) << err;
  EXPECT_TRUE(Mentions(err, "chip.cores is 64")) << err;
}

TEST(MeshNocConfig, AMissingDimensionIsNamed) {
  v1::System s = LoadSystem("mesh-dsa");
  s.mutable_chip()->mutable_noc()->clear_height();
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.height")) << err;
  EXPECT_TRUE(Mentions(err, "must be > 0, got 0")) << err;
  // An explicit 0 is caught by the field's declared range.
  ApplyOverride(s, "chip.noc.height=0");
  err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.height: 0 is out of range [1, 4096]")) << err;
}

TEST(MeshNocConfig, AMemoryPortOffTheGridNamesTheRouter) {
  v1::System s = LoadSystem("mesh-dsa");
  v1::NocAttachSpec* memory = s.mutable_chip()->mutable_noc()->mutable_memory();
  memory->clear_placement();
  v1::NocRouter* r = memory->add_routers();
  r->set_x(8);
  r->set_y(0);
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.memory.routers")) << err;
  EXPECT_TRUE(Mentions(err, "(8, 0) is off the 8 × 8 grid")) << err;
}

TEST(MeshNocConfig, ARouterListedTwiceIsAnError) {
  v1::System s = LoadSystem("mesh-dsa");
  v1::NocAttachSpec* memory = s.mutable_chip()->mutable_noc()->mutable_memory();
  memory->clear_placement();
  for (int i = 0; i < 2; ++i) {
    v1::NocRouter* r = memory->add_routers();
    r->set_x(3);
    r->set_y(2);
  }
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "(3, 2) is listed twice")) << err;
}

TEST(MeshNocConfig, AMeshWithoutMemoryPortsIsRejected) {
  v1::System s = LoadSystem("mesh-dsa");
  s.mutable_chip()->mutable_noc()->clear_memory();
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.memory")) << err;
  EXPECT_TRUE(Mentions(err, "missing")) << err;
}

TEST(MeshNocConfig, APlacementRuleAndARouterListTogetherAreRejected) {
  v1::System s = LoadSystem("mesh-dsa");
  v1::NocRouter* r = s.mutable_chip()->mutable_noc()->mutable_memory()->add_routers();
  r->set_x(1);
  r->set_y(1);
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.memory")) << err;
  EXPECT_TRUE(Mentions(err, "not both")) << err;
}

TEST(MeshNocConfig, MorePortsThanHbmChannelsIsRejected) {
  v1::System s = LoadSystem("mesh-dsa");
  ApplyOverride(s, "chip.hbm.channels_per_stack=4");  // 8 channels, 16 ports
  ApplyOverride(s, "chip.hbm.rated_bandwidth=");
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.memory")) << err;
  EXPECT_TRUE(Mentions(err, "16 memory ports")) << err;
  EXPECT_TRUE(Mentions(err, "8 channels")) << err;
}

TEST(MeshNocConfig, ANonPositiveBandwidthNamesTheField) {
  for (const char* field : {"port_bandwidth", "endpoint_bandwidth"}) {
    v1::System s = LoadSystem("mesh-dsa");
    ApplyOverride(s, std::string("chip.noc.") + field + "=0GB/s");
    std::string err = ParseError(s);
    EXPECT_TRUE(Mentions(err, std::string("chip.noc.") + field)) << err;
    EXPECT_TRUE(Mentions(err, "'0GB/s' is out of range [1MB/s, 1PB/s]")) << err;
  }
}

TEST(MeshNocConfig, GridFieldsOnACrossbarAreErrorsNotIgnored) {
  for (const char* assignment :
       {"chip.noc.width=8", "chip.noc.height=2", "chip.noc.endpoint_latency=5ns",
        "chip.noc.endpoint_bandwidth=1TB/s",
        "chip.noc.memory.placement=NOC_PLACEMENT_EDGE_COLUMNS"}) {
    v1::System s = LoadSystem("h100");
    ApplyOverride(s, assignment);
    std::string err = ParseError(s);
    std::string field(assignment, std::string(assignment).find_first_of(".=", 9));
    EXPECT_TRUE(Mentions(err, field)) << assignment << ": " << err;
    EXPECT_TRUE(Mentions(err, "only used by NOC_MESH and NOC_TORUS")) << err;
  }
}

TEST(MeshNocConfig, SharedSramPortsNeedASharedSram) {
  v1::System s = LoadSystem("mesh-dsa");
  ApplyOverride(s, "chip.noc.shared_sram.placement=NOC_PLACEMENT_EDGE_ROWS");
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.shared_sram")) << err;
  EXPECT_TRUE(Mentions(err, "no shared_sram")) << err;
}

TEST(MeshNocConfig, AMeshChipWithASharedSramMustPlaceIt) {
  v1::System s = LoadSystem("mesh-dsa");
  ApplyOverride(s, "chip.shared_sram.capacity=32MiB");
  ApplyOverride(s, "chip.shared_sram.bandwidth=1TB/s");
  std::string err = ParseError(s);
  EXPECT_TRUE(Mentions(err, "chip.noc.shared_sram")) << err;
  EXPECT_TRUE(Mentions(err, "missing")) << err;
  ApplyOverride(s, "chip.noc.shared_sram.placement=NOC_PLACEMENT_EDGE_ROWS");
  EXPECT_EQ(ParseChipConfig(s, "test").noc.shared_sram_routers.size(), 16u);
}

}  // namespace
}  // namespace dsasim::arch
