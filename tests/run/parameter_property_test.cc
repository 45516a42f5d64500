// Every numeric system field of every preset, driven past its bounds: 0,
// negative, NaN, infinity, tiny (1e-30 of its unit) and huge (1e30). Each
// run must end (the test's own ctest timeout bounds it; no timed assertion
// here) in either a clear, typed error or a valid run that respects its
// roofline. Before issue 14 the same values crashed (clock=0GHz), hung
// (launch_overhead=1e6s) or were silently replaced by defaults
// (efficiency=0).
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "arch_models/chip/chip_config.h"
#include "arch_models/chip/system_loader.h"
#include "dsasim/v1/field_options.pb.h"
#include "sim/error.h"
#include "sim/field_ranges.h"
#include "sim/proto_io.h"
#include "sim/units.h"
#include "tools/run/simulation.h"

namespace dsasim {
namespace {

namespace pb = google::protobuf;

// The unit a field's bounds are written in ("GHz", "B/s"), or "" for a
// plain number.
std::string UnitOf(const pb::FieldDescriptor& field) {
  if (field.cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) return "";
  const v1::FieldRange& r = field.options().GetExtension(v1::range);
  std::string bound = r.max().empty() ? r.min() : r.max();
  size_t i = 0;
  while (i < bound.size() && (std::isdigit(bound[i]) || bound[i] == '.' ||
                              bound[i] == 'e' || bound[i] == '-')) {
    ++i;
  }
  return bound.substr(i);
}

// Sets the field at `path` ("chip.core.clock", "chip.op_launch_overheads[].overhead")
// to `text`. Returns false where the preset has no element to edit or the
// text is not a value of the field's type (a loader refuses such a file).
bool SetByPath(pb::Message& root, const std::string& path, const std::string& text) {
  pb::Message* msg = &root;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string name = path.substr(start, dot == std::string::npos ? dot : dot - start);
    bool element = name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0;
    if (element) name.resize(name.size() - 2);
    const pb::FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(name);
    const pb::Reflection* r = msg->GetReflection();
    if (dot == std::string::npos) {
      if (f->is_repeated()) {
        if (r->FieldSize(*msg, f) == 0) return false;
        r->RemoveLast(msg, f);
      }
      std::string value = f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING
                              ? "\"" + text + "\""
                              : text;
      return pb::TextFormat::ParseFieldValueFromString(value, f, msg);
    }
    if (element) {
      if (r->FieldSize(*msg, f) == 0) return false;
      msg = r->MutableRepeatedMessage(msg, f, 0);
    } else {
      msg = r->MutableMessage(msg, f);
    }
    start = dot + 1;
  }
}

class EveryField : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryField, PastItsBoundsEndsInAClearErrorOrARunAboveItsRoofline) {
  const std::string preset = GetParam();
  const std::string file =
      (std::filesystem::temp_directory_path() /
       ("dsasim_property_" + preset + "_" + std::to_string(getpid()) + ".textproto"))
          .string();
  int errors = 0, runs = 0;
  // A system of chips runs the model tensor-parallel over all of them, so
  // that its links and collectives see every value; its chip is a
  // single-chip preset's, whose fields that preset's instance covers.
  const v1::System base = arch::LoadSystem(preset);
  const int chips = base.has_chips() ? base.chips() : 1;
  for (const RangedField& f : RangedFields(*v1::System::descriptor())) {
    if (chips > 1 && f.path.rfind("chip.", 0) == 0) continue;
    const std::string unit = UnitOf(*f.field);
    for (const char* number : {"0", "-1", "nan", "inf", "1e-30", "1e30"}) {
      v1::System system = arch::LoadSystem(preset);
      const std::string text = number + unit;
      {
        // "nan" is no integer: protobuf's own parse error is expected here.
        google::protobuf::LogSilencer quiet;
        if (!SetByPath(system, f.path, text)) continue;
      }
      std::ofstream(file) << ToTextFormat(system);

      SimulationRequest req;
      req.system = file;
      req.model = "llama3-8b";
      req.build.phase = v1::PHASE_DECODE;
      req.build.batch = 1;
      req.build.context_len = 128;
      req.build.layers = 1;
      req.build.tensor_parallel = chips;
      // Small limits: a value that makes the run huge must be refused, and
      // the test stays quick.
      req.limits.max_events = 2e7;
      req.limits.max_memory_bytes = 4.0 * (1ull << 30);
      const std::string what = preset + " " + f.path + "=" + text;
      try {
        Simulation sim = Simulate(req);
        ++runs;
        // A valid run: never faster than its compute or HBM roofline.
        arch::ChipConfig chip = arch::ParseChipConfig(sim.system, what);
        // (Not the graph's stored bytes: decode gathers a few rows of the
        // embedding table, so those over-count what must be read.)
        double flops = 0, latency = 0, hbm_bytes = 0;
        for (const MetricRecord& m : sim.record.metrics) {
          if (m.name == "flops") flops = m.value;
          if (m.name == "latency_s") latency = m.value;
          if (m.name == "hbm_bytes") hbm_bytes = m.value;
        }
        EXPECT_GT(latency, 0) << what;
        EXPECT_GT(hbm_bytes, 0) << what;
        // FLOPs and bytes are summed over the chips.
        EXPECT_GE(latency * (1 + 1e-9), flops / (chips * chip.PeakFlops(v1::DTYPE_BF16)))
            << what;
        EXPECT_GE(latency * (1 + 1e-9), hbm_bytes / (chips * chip.hbm.peak_bandwidth()))
            << what;
      } catch (const ConfigError& e) {
        ++errors;
        EXPECT_NE(std::string(e.what()).find(':'), std::string::npos) << what;
      } catch (const MappingError&) {
        ++errors;
      } catch (const LimitError&) {
        ++errors;
      } catch (const TimeOverflowError&) {
        ++errors;
      } catch (const std::exception& e) {
        ADD_FAILURE() << what << ": an untyped error: " << e.what();
      }
    }
  }
  std::filesystem::remove(file);
  // Most of the values are out of range; a few (0 s latencies, 0 overhead
  // cycles) are legal and run.
  // (A system of chips tries only its interconnect's fields.)
  EXPECT_GT(errors, chips > 1 ? 50 : 100) << preset;
  EXPECT_GT(runs, 0) << preset;
  RecordProperty("errors", errors);
  RecordProperty("runs", runs);
}

INSTANTIATE_TEST_SUITE_P(Presets, EveryField, ::testing::ValuesIn(arch::PresetNames()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace dsasim
