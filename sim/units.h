// File: sim/units.h
//
// Physical quantities written with units, as they appear in system textprotos
// and on the command line: "1.5GHz", "819GB/s", "24MiB", "30ns", "2.4Gbps".
// Each parser accepts only units of its dimension and returns SI base units
// (Hz, bytes/s, bytes, seconds, bits/s).
//
// Example:
//   double hz = ParseFrequency("1.83GHz");       // 1.83e9
//   double bw = ParseBandwidth("3.35TB/s");      // 3.35e12 bytes/s
//   double b  = ParseBytes("228KiB");            // 233472
//   Tick   t  = ParseDuration("30ns");           // 30'000 ps
//
// Decimal prefixes (k, M, G, T, P) are powers of 1000; binary prefixes (Ki,
// Mi, Gi, Ti) powers of 1024. "B" is a byte and "b" a bit; a bandwidth in
// bits ("Gb/s", "Gbps") is converted to bytes. A missing unit, a unit of the
// wrong dimension, a negative or non-finite number throws UnitError with the
// offending text.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/time.h"

namespace dsasim {

class UnitError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

double ParseFrequency(std::string_view text);
// Bytes per second; accepts B/s and bit rates (b/s, bps).
double ParseBandwidth(std::string_view text);
// A per-pin or per-lane bit rate in bits per second ("6.4Gbps", "6.4Gb/s").
double ParseBitRate(std::string_view text);
double ParseBytes(std::string_view text);
double ParseSeconds(std::string_view text);
Tick ParseDuration(std::string_view text);

// Human-readable forms for reports. Capacities print with binary prefixes,
// as datasheets give SRAM and HBM sizes ("228 KiB"); bandwidths with decimal
// ones, as vendors quote them ("3.35 TB/s"). Bytes moved go beside a
// bandwidth, so they print decimal too ("1.49 GB"): traffic / time = the
// bandwidth shown, with no 1024-vs-1000 factor in between.
std::string FormatBytes(double bytes);
std::string FormatDecimalBytes(double bytes);
std::string FormatBandwidth(double bytes_per_s);
std::string FormatSeconds(double seconds);
// A count in three significant digits for messages: "1.1e+04", "2e+09".
std::string FormatCount(double count);

}  // namespace dsasim
