#include "sim/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

namespace dsasim {
namespace {

struct Prefix {
  std::string_view symbol;
  double factor;
};

// Longest symbols first so that "Gi" wins over "G".
constexpr std::array<Prefix, 10> kPrefixes{{
    {"Ki", 1024.0},
    {"Mi", 1024.0 * 1024},
    {"Gi", 1024.0 * 1024 * 1024},
    {"Ti", 1024.0 * 1024 * 1024 * 1024},
    {"k", 1e3},
    {"K", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
}};

struct Split {
  double value;
  std::string_view unit;
};

Split SplitNumber(std::string_view text, std::string_view dimension) {
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  double value = 0;
  auto [ptr, ec] =
      std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (ec != std::errc() || ptr == trimmed.data()) {
    throw UnitError("'" + std::string(text) + "' is not a " + std::string(dimension) +
                    ": it must start with a number");
  }
  if (!std::isfinite(value) || value < 0) {
    throw UnitError("'" + std::string(text) + "' is not a " + std::string(dimension) +
                    ": the number must be finite and >= 0");
  }
  std::string_view unit(ptr, trimmed.data() + trimmed.size() - ptr);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return {value, unit};
}

// Strips a known prefix from `unit` if what remains is one of `bases`.
std::optional<std::pair<double, std::string_view>> MatchUnit(
    std::string_view unit, std::initializer_list<std::string_view> bases) {
  for (std::string_view base : bases) {
    if (unit == base) return std::make_pair(1.0, base);
  }
  for (const Prefix& p : kPrefixes) {
    if (unit.substr(0, p.symbol.size()) != p.symbol) continue;
    std::string_view rest = unit.substr(p.symbol.size());
    for (std::string_view base : bases) {
      if (rest == base) return std::make_pair(p.factor, base);
    }
  }
  return std::nullopt;
}

[[noreturn]] void BadUnit(std::string_view text, std::string_view dimension,
                          std::string_view expected) {
  throw UnitError("'" + std::string(text) + "' is not a " + std::string(dimension) +
                  ": expected a number followed by " + std::string(expected));
}

std::string Format(double value, const char* const* units, int count, double step) {
  int i = 0;
  while (i + 1 < count && std::fabs(value) >= step) {
    value /= step;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g %s", value, units[i]);
  return buf;
}

}  // namespace

double ParseFrequency(std::string_view text) {
  Split s = SplitNumber(text, "frequency");
  auto m = MatchUnit(s.unit, {"Hz"});
  if (!m) BadUnit(text, "frequency", "Hz, kHz, MHz or GHz");
  return s.value * m->first;
}

double ParseBandwidth(std::string_view text) {
  Split s = SplitNumber(text, "bandwidth");
  if (auto m = MatchUnit(s.unit, {"B/s", "Bps"})) return s.value * m->first;
  if (auto m = MatchUnit(s.unit, {"b/s", "bps"})) return s.value * m->first / 8;
  BadUnit(text, "bandwidth", "B/s (GB/s, TiB/s, ...) or b/s (Gb/s, Gbps)");
}

double ParseBitRate(std::string_view text) {
  Split s = SplitNumber(text, "bit rate");
  if (auto m = MatchUnit(s.unit, {"b/s", "bps"})) return s.value * m->first;
  BadUnit(text, "bit rate", "b/s or bps (e.g. 6.4Gbps)");
}

double ParseBytes(std::string_view text) {
  Split s = SplitNumber(text, "size");
  if (auto m = MatchUnit(s.unit, {"B"})) return s.value * m->first;
  if (auto m = MatchUnit(s.unit, {"b", "bit"})) return s.value * m->first / 8;
  BadUnit(text, "size", "B (KiB, MiB, GB, ...)");
}

double ParseSeconds(std::string_view text) {
  Split s = SplitNumber(text, "duration");
  static constexpr std::array<std::pair<std::string_view, double>, 6> kTime{{
      {"ps", 1e-12},
      {"ns", 1e-9},
      {"us", 1e-6},
      {"ms", 1e-3},
      {"s", 1.0},
      {"min", 60.0},
  }};
  for (const auto& [unit, factor] : kTime) {
    if (s.unit == unit) return s.value * factor;
  }
  BadUnit(text, "duration", "ps, ns, us, ms, s or min");
}

Tick ParseDuration(std::string_view text) {
  return Tick::FromSeconds(ParseSeconds(text));
}

std::string FormatBytes(double bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  return Format(bytes, kUnits, 5, 1024.0);
}

std::string FormatDecimalBytes(double bytes) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  return Format(bytes, kUnits, 5, 1000.0);
}

std::string FormatBandwidth(double bytes_per_s) {
  static const char* const kUnits[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
  return Format(bytes_per_s, kUnits, 5, 1000.0);
}

std::string FormatCount(double count) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", count);
  return buf;
}

std::string FormatSeconds(double seconds) {
  char buf[64];
  if (seconds >= 1) {
    std::snprintf(buf, sizeof buf, "%.3f s", seconds);
  } else if (seconds >= 1e-3) {
    std::snprintf(buf, sizeof buf, "%.3f ms", seconds * 1e3);
  } else if (seconds >= 1e-6) {
    std::snprintf(buf, sizeof buf, "%.3f us", seconds * 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f ns", seconds * 1e9);
  }
  return buf;
}

}  // namespace dsasim
