#include "sim/units.h"

#include <gtest/gtest.h>

namespace dsasim {
namespace {

TEST(Units, ParsesFrequencies) {
  EXPECT_DOUBLE_EQ(ParseFrequency("1.5GHz"), 1.5e9);
  EXPECT_DOUBLE_EQ(ParseFrequency("940 MHz"), 940e6);
  EXPECT_DOUBLE_EQ(ParseFrequency("10Hz"), 10);
}

TEST(Units, ParsesBandwidthInBytesAndBits) {
  EXPECT_DOUBLE_EQ(ParseBandwidth("819GB/s"), 819e9);
  EXPECT_DOUBLE_EQ(ParseBandwidth("3.35TB/s"), 3.35e12);
  EXPECT_DOUBLE_EQ(ParseBandwidth("1GiB/s"), 1073741824.0);
  EXPECT_DOUBLE_EQ(ParseBandwidth("400Gb/s"), 50e9);
  EXPECT_DOUBLE_EQ(ParseBandwidth("100Gbps"), 12.5e9);
}

TEST(Units, ParsesBitRates) {
  EXPECT_DOUBLE_EQ(ParseBitRate("2.4Gbps"), 2.4e9);
  EXPECT_DOUBLE_EQ(ParseBitRate("6.4Gb/s"), 6.4e9);
}

TEST(Units, BinaryAndDecimalSizePrefixesDiffer) {
  EXPECT_DOUBLE_EQ(ParseBytes("24MiB"), 24.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(ParseBytes("24MB"), 24e6);
  EXPECT_DOUBLE_EQ(ParseBytes("228KiB"), 233472);
  EXPECT_DOUBLE_EQ(ParseBytes("64B"), 64);
}

// A bug: the run summary printed traffic in GiB beside a bandwidth in GB/s.
TEST(Units, TrafficPrintsInTheDecimalUnitsOfBandwidth) {
  EXPECT_EQ(FormatDecimalBytes(1.49e9), "1.49 GB");
  EXPECT_EQ(FormatBandwidth(1.49e12), "1.49 TB/s");
  EXPECT_EQ(FormatDecimalBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(233472), "228 KiB");
}

TEST(Units, ParsesDurations) {
  EXPECT_EQ(ParseDuration("30ns").ps(), 30'000);
  EXPECT_EQ(ParseDuration("1.5us").ps(), 1'500'000);
  EXPECT_EQ(ParseDuration("250ps").ps(), 250);
  EXPECT_DOUBLE_EQ(ParseSeconds("2ms"), 2e-3);
}

TEST(Units, RejectsMissingUnit) { EXPECT_THROW(ParseFrequency("1.5"), UnitError); }

TEST(Units, RejectsUnitOfWrongDimension) {
  EXPECT_THROW(ParseFrequency("1.5GB/s"), UnitError);
  EXPECT_THROW(ParseBytes("30ns"), UnitError);
  EXPECT_THROW(ParseDuration("1GHz"), UnitError);
}

TEST(Units, RejectsGarbageNegativeAndUnknownPrefix) {
  EXPECT_THROW(ParseBytes("lots"), UnitError);
  EXPECT_THROW(ParseBytes("-4KiB"), UnitError);
  EXPECT_THROW(ParseBytes("4QB"), UnitError);
  EXPECT_THROW(ParseBandwidth(""), UnitError);
}

TEST(Units, ErrorMessageQuotesTheText) {
  try {
    ParseBandwidth("12 parsecs");
    FAIL();
  } catch (const UnitError& e) {
    EXPECT_NE(std::string(e.what()).find("'12 parsecs'"), std::string::npos);
  }
}

}  // namespace
}  // namespace dsasim
