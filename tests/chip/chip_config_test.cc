#include "arch_models/chip/chip_config.h"

#include <gtest/gtest.h>

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

TEST(Presets, EveryPresetParsesAndHasPositivePeaks) {
  for (const std::string& name : PresetNames()) {
    ChipConfig chip = ParseChipConfig(LoadSystem(name), name);
    EXPECT_GT(chip.PeakFlops(v1::DTYPE_BF16), 0) << name;
    EXPECT_GT(chip.hbm.peak_bandwidth(), 0) << name;
  }
}

TEST(Presets, H100PeaksMatchTheSpecSheet) {
  ChipConfig chip = ParseChipConfig(LoadSystem("h100"), "h100");
  // hardware_specs.md §1.1: 989 TFLOP/s bf16 dense, 1979 fp8, 3.35 TB/s.
  EXPECT_NEAR(chip.PeakFlops(v1::DTYPE_BF16), 989e12, 0.01 * 989e12);
  EXPECT_NEAR(chip.PeakFlops(v1::DTYPE_FP8_E4M3), 1979e12, 0.01 * 1979e12);
  EXPECT_NEAR(chip.hbm.peak_bandwidth(), 3.35e12, 0.01 * 3.35e12);
  EXPECT_EQ(chip.cores, 132);
  EXPECT_DOUBLE_EQ(chip.scratchpad.capacity_bytes, 228 * 1024);
}

TEST(Presets, TpuV5ePeakIs197Teraflops) {
  ChipConfig chip = ParseChipConfig(LoadSystem("tpu-v5e"), "tpu-v5e");
  EXPECT_NEAR(chip.PeakFlops(v1::DTYPE_BF16), 197e12, 0.01 * 197e12);
  EXPECT_NEAR(chip.hbm.peak_bandwidth(), 819e9, 0.01 * 819e9);
}

TEST(SystemLoader, UnknownPresetListsTheKnownOnes) {
  std::string err = ErrorOf([] { LoadSystem("h900"); });
  EXPECT_NE(err.find("h900"), std::string::npos) << err;
  EXPECT_NE(err.find("h100"), std::string::npos) << err;
}

TEST(SystemLoader, OverrideSetsANestedScalarField) {
  v1::System s = LoadSystem("h100");
  ApplyOverride(s, "chip.hbm.stacks=6");
  ApplyOverride(s, "chip.core.scratchpad.capacity=456KiB");
  ApplyOverride(s, "chip.hbm.mode=HBM_MODE_DETAILED");
  EXPECT_EQ(s.chip().hbm().stacks(), 6);
  EXPECT_EQ(s.chip().core().scratchpad().capacity(), "456KiB");
  EXPECT_EQ(s.chip().hbm().mode(), v1::HBM_MODE_DETAILED);
}

// `--set` help says "an empty value clears the field"; a number field
// refused the empty value instead.
TEST(SystemLoader, OverrideWithAnEmptyValueClearsTheFieldOfAnyType) {
  v1::System s = LoadSystem("h100");
  ApplyOverride(s, "chip.hbm.rated_bandwidth=");
  ApplyOverride(s, "chip.hbm.stacks=");
  ApplyOverride(s, "chip.hbm.mode=HBM_MODE_DETAILED");
  ApplyOverride(s, "chip.hbm.mode=");
  EXPECT_EQ(s.chip().hbm().rated_bandwidth(), "");
  EXPECT_EQ(s.chip().hbm().stacks(), 0);
  EXPECT_EQ(s.chip().hbm().mode(), v1::HBM_MODE_FAST);
}

TEST(SystemLoader, OverrideOfAnUnknownFieldNamesTheSegment) {
  v1::System s = LoadSystem("h100");
  std::string err = ErrorOf([&] { ApplyOverride(s, "chip.hbm.stax=6"); });
  EXPECT_NE(err.find("'stax'"), std::string::npos) << err;
  EXPECT_NE(err.find("HbmSpec"), std::string::npos) << err;
}

TEST(SystemLoader, OverrideWithAValueOfTheWrongTypeIsRejected) {
  v1::System s = LoadSystem("h100");
  std::string err = ErrorOf([&] { ApplyOverride(s, "chip.cores=many"); });
  EXPECT_NE(err.find("many"), std::string::npos) << err;
  EXPECT_NE(err.find("Expected integer"), std::string::npos) << err;  // protobuf's reason
  EXPECT_NE(ErrorOf([&] { ApplyOverride(s, "chip.cores"); }), "");
  EXPECT_NE(ErrorOf([&] { ApplyOverride(s, "chip.core=1"); }), "");
}

TEST(ChipConfig, ABadUnitNamesTheFieldAndTheValue) {
  v1::System s = LoadSystem("h100");
  ApplyOverride(s, "chip.core.clock=1.8xHz");
  std::string err = ErrorOf([&] { ParseChipConfig(s, "h100"); });
  EXPECT_NE(err.find("chip.core.clock"), std::string::npos) << err;
  EXPECT_NE(err.find("1.8xHz"), std::string::npos) << err;
}

TEST(ChipConfig, RatedBandwidthMustAgreeWithTheChannels) {
  v1::System s = LoadSystem("h100");
  ApplyOverride(s, "chip.hbm.stacks=6");  // 6 stacks no longer give 3.35 TB/s
  std::string err = ErrorOf([&] { ParseChipConfig(s, "h100"); });
  EXPECT_NE(err.find("chip.hbm.rated_bandwidth"), std::string::npos) << err;
  ApplyOverride(s, "chip.hbm.rated_bandwidth=");
  EXPECT_NO_THROW(ParseChipConfig(s, "h100"));
}

TEST(ChipConfig, MissingRequiredFieldIsNamed) {
  v1::System s = LoadSystem("generic-dsa");
  s.mutable_chip()->mutable_core()->clear_clock();
  std::string err = ErrorOf([&] { ParseChipConfig(s, "x"); });
  EXPECT_NE(err.find("chip.core.clock"), std::string::npos) << err;
  EXPECT_NE(err.find("missing"), std::string::npos) << err;
}

TEST(ChipConfig, AMemoryEfficiencyOutsideZeroToOneNamesTheKindAndValue) {
  for (const char* bad : {"0", "1.5", "-0.2"}) {
    v1::System s = LoadSystem("a100");
    v1::OpMemoryEfficiency* e = s.mutable_chip()->add_op_memory_efficiencies();
    e->set_op_kind("matmul");
    e->set_efficiency(std::stod(bad));
    std::string err = ErrorOf([&] { ParseChipConfig(s, "a100"); });
    // The element is named by its op_kind.
    EXPECT_NE(err.find("chip.op_memory_efficiencies['matmul'].efficiency"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("is out of range (0, 1]"), std::string::npos) << err;
  }
}

TEST(ChipConfig, AMemoryEfficiencyForAnUnknownOrRepeatedKindIsAnError) {
  v1::System s = LoadSystem("generic-dsa");
  v1::OpMemoryEfficiency* e = s.mutable_chip()->add_op_memory_efficiencies();
  e->set_op_kind("softmaxx");
  e->set_efficiency(0.5);
  std::string err = ErrorOf([&] { ParseChipConfig(s, "x"); });
  EXPECT_NE(err.find("'softmaxx' is not an operator kind"), std::string::npos) << err;
  e->set_op_kind("softmax");
  *s.mutable_chip()->add_op_memory_efficiencies() = *e;
  err = ErrorOf([&] { ParseChipConfig(s, "x"); });
  EXPECT_NE(err.find("'softmax' is given twice"), std::string::npos) << err;
}

TEST(ChipConfig, ACacheOrganisationWithoutCacheModeIsAnUnusedKeyError) {
  v1::System s = LoadSystem("h100");
  ApplyOverride(s, "chip.core.scratchpad.cache.ways=8");
  std::string err = ErrorOf([&] { ParseChipConfig(s, "h100"); });
  EXPECT_NE(err.find("chip.core.scratchpad.cache"), std::string::npos) << err;
  ApplyOverride(s, "chip.core.scratchpad.mode=SRAM_MODE_CACHE");
  ChipConfig chip = ParseChipConfig(s, "h100");
  EXPECT_TRUE(chip.scratchpad.cache.enabled);
  EXPECT_EQ(chip.scratchpad.cache.ways, 8);
  EXPECT_EQ(chip.scratchpad.cache.line_bytes, 128);  // the default
  EXPECT_TRUE(chip.HasCache());
}

TEST(ChipConfig, ACacheLineThatIsNotAMultipleOf16BytesNamesFieldAndValue) {
  v1::System s = LoadSystem("h100");
  ApplyOverride(s, "chip.shared_sram.mode=SRAM_MODE_CACHE");
  ApplyOverride(s, "chip.shared_sram.cache.line_size=100B");
  std::string err = ErrorOf([&] { ParseChipConfig(s, "h100"); });
  EXPECT_NE(err.find("chip.shared_sram.cache.line_size"), std::string::npos) << err;
  EXPECT_NE(err.find("100B"), std::string::npos) << err;
}

TEST(ChipConfig, ASharedSramInCacheModeHoldsNoTensors) {
  v1::System s = LoadSystem("h100");
  EXPECT_TRUE(ParseChipConfig(s, "h100").shared_sram.addressable());
  ApplyOverride(s, "chip.shared_sram.mode=SRAM_MODE_CACHE");
  EXPECT_FALSE(ParseChipConfig(s, "h100").shared_sram.addressable());
}

TEST(ChipConfig, KindsWithoutAMemoryEfficiencyAreUncapped) {
  ChipConfig chip = ParseChipConfig(LoadSystem("a100"), "a100");
  EXPECT_DOUBLE_EQ(chip.MemoryEfficiency("matmul"), 1.0);
  EXPECT_LT(chip.MemoryEfficiency("softmax"), 1.0);
}

}  // namespace
}  // namespace dsasim::arch
