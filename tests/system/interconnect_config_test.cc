#include "arch_models/system/interconnect_config.h"

#include <gtest/gtest.h>

#include <set>

#include "arch_models/chip/system_loader.h"
#include "arch_models/system/interconnect_info.h"
#include "sim/error.h"
#include "system_test_util.h"

namespace dsasim::arch {
namespace {

using testing::Config;

std::string ErrorOf(int chips, const std::string& text) {
  try {
    Config(chips, text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(InterconnectConfig, EveryMultiChipPresetParses) {
  int multi = 0;
  for (const std::string& name : PresetNames()) {
    const v1::System system = LoadSystem(name);
    if (system.chips() <= 1) continue;
    ++multi;
    const InterconnectConfig c = ParseInterconnect(system, name);
    EXPECT_GT(c.chips, 1) << name;
    EXPECT_GT(c.PortBandwidth(), 0) << name;
    EXPECT_FALSE(c.protocols.empty()) << name;
  }
  EXPECT_GE(multi, 6);
}

TEST(InterconnectConfig, UnitsResolveToBytesPerSecondAndTicks) {
  const InterconnectConfig c = ParseInterconnect(LoadSystem("hgx-h100-2node"), "hgx");
  EXPECT_DOUBLE_EQ(c.link.bandwidth, 25e9);
  EXPECT_EQ(c.link.latency, Tick::FromUs(1));
  EXPECT_DOUBLE_EQ(c.scale_out.bandwidth, 50e9);
  EXPECT_EQ(c.nodes, 2);
  EXPECT_DOUBLE_EQ(c.PortBandwidth(), 450e9);
}

TEST(InterconnectConfig, OneChipNeedsNoInterconnect) {
  const InterconnectConfig c = Config(1, "");
  EXPECT_EQ(c.chips, 1);
  EXPECT_EQ(c.protocols.size(), 1u);
}

TEST(InterconnectConfig, InconsistentFieldsAreErrorsNamingTheField) {
  const std::string torus =
      "topology: LINK_TORUS_2D link_bandwidth: \"45GB/s\" links_per_chip: 4 ";
  struct Case {
    int chips;
    std::string text;
    std::string expect;
  } cases[] = {
      {8, "link_bandwidth: \"1GB/s\"", "interconnect.topology: required when chips > 1"},
      {8, "topology: LINK_RING", "interconnect.link_bandwidth: missing"},
      {8, torus + "dims: 2 dims: 3",
       "interconnect.dims: their product 6 must equal chips = 8"},
      {8, torus + "dims: 8", "interconnect.dims: LINK_TORUS_2D needs 2 entries"},
      {8, torus + "dims: 2 dims: 4 wraparound: true",
       "interconnect.wraparound: one entry per"},
      {8, "topology: LINK_RING link_bandwidth: \"1GB/s\" dims: 8",
       "only a torus has dims"},
      {12,
       "topology: LINK_TWO_LEVEL link_bandwidth: \"1GB/s\" chips_per_node: 8 "
       "scale_out { bandwidth: \"50GB/s\" }",
       "interconnect.chips_per_node: 8 does not divide chips = 12"},
      {16, "topology: LINK_TWO_LEVEL link_bandwidth: \"1GB/s\" chips_per_node: 8",
       "interconnect.scale_out: required for LINK_TWO_LEVEL"},
      {8, "topology: LINK_RING link_bandwidth: \"1GB/s\" switch_reduction: true",
       "interconnect.switch_reduction: needs a switch"},
      {8,
       "topology: LINK_SWITCH link_bandwidth: \"1GB/s\" collective_rules { kind: "
       "COLLECTIVE_ALL_REDUCE algorithm: COLLECTIVE_ALGORITHM_SWITCH_REDUCE }",
       "collective_rules[0].algorithm: COLLECTIVE_ALGORITHM_SWITCH_REDUCE cannot run "
       "COLLECTIVE_ALL_REDUCE on LINK_SWITCH without switch_reduction"},
      {8,
       "topology: LINK_RING link_bandwidth: \"1GB/s\" collective_rules { kind: "
       "COLLECTIVE_ALL_TO_ALL algorithm: COLLECTIVE_ALGORITHM_RING }",
       "cannot run COLLECTIVE_ALL_TO_ALL"},
      {8,
       "topology: LINK_SWITCH link_bandwidth: \"1GB/s\" collective_rules { kind: "
       "COLLECTIVE_ALL_REDUCE algorithm: COLLECTIVE_ALGORITHM_HIERARCHICAL }",
       "HIERARCHICAL cannot run COLLECTIVE_ALL_REDUCE on LINK_SWITCH"},
      {8,
       "topology: LINK_SWITCH link_bandwidth: \"1GB/s\" collective_protocols { name: "
       "\"LL\" } collective_protocols { name: \"LL\" }",
       "collective_protocols[1].name: 'LL' is given twice"},
      {8, "topology: LINK_RING link_bandwidth: \"0GB/s\"", "interconnect.link_bandwidth"},
  };
  for (const Case& c : cases) {
    const std::string error = ErrorOf(c.chips, c.text);
    EXPECT_NE(error.find("test: "), std::string::npos) << c.text << " → " << error;
    EXPECT_NE(error.find(c.expect), std::string::npos) << c.text << " → " << error;
  }
}

TEST(InterconnectConfig, RulesKeepTheirSizeLimits) {
  const InterconnectConfig c =
      Config(8,
             "topology: LINK_SWITCH link_bandwidth: \"1GB/s\" collective_rules { kind: "
             "COLLECTIVE_ALL_REDUCE max_bytes: \"64KiB\" algorithm: "
             "COLLECTIVE_ALGORITHM_TREE }");
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_DOUBLE_EQ(c.rules[0].max_bytes, 65536);
}

}  // namespace
}  // namespace dsasim::arch

namespace dsasim::arch {
namespace {

TEST(InterconnectInfo, DocumentsExactlyTheFieldsOfInterconnectSpec) {
  std::set<std::string> fields, params;
  const auto* message = v1::InterconnectSpec::descriptor();
  for (int i = 0; i < message->field_count(); ++i)
    fields.insert(message->field(i)->name());
  for (const ParamInfo& p : InterconnectInfo().params) {
    EXPECT_TRUE(params.insert(std::string(p.name)).second) << p.name;
    EXPECT_FALSE(p.help.empty()) << p.name;
  }
  EXPECT_EQ(params, fields);
  EXPECT_EQ(InterconnectInfo().config_message, message->full_name());
}

}  // namespace
}  // namespace dsasim::arch
