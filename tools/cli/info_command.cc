// `dsasim info`: the component registry (types, parameters, statistics) and
// the system presets. The registry is the documentation of every knob.
#include <iostream>

#include "arch_models/chip/system_loader.h"
#include "arch_models/system/system_catalog.h"
#include "dsasim/v1/graph.pb.h"
#include "dsasim/v1/sweep.pb.h"
#include "dsasim/v1/system.pb.h"
#include "sim/field_ranges.h"
#include "sim/json_writer.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"

namespace dsasim::cli {

namespace {

// The schemas whose fields declare ranges, by the name users know them by.
const std::pair<const char*, const google::protobuf::Descriptor*> kRangedSchemas[] = {
    {"system", v1::System::descriptor()},
    {"workload", v1::WorkloadSpec::descriptor()},
    {"graph", v1::OperatorGraph::descriptor()}};

void PrintRangesText() {
  for (const auto& [schema, type] : kRangedSchemas) {
    std::cout << schema << " fields (" << type->full_name() << "):\n";
    for (const RangedField& f : RangedFields(*type)) {
      std::cout << "  " << f.path << "  " << DescribeRange(*f.field)
                << (IsRequired(*f.field) ? "  (required)" : "") << "\n";
    }
  }
}

void PrintRangesJson(JsonWriter& json) {
  json.BeginObject();
  for (const auto& [schema, type] : kRangedSchemas) {
    json.Key(schema).BeginArray();
    for (const RangedField& f : RangedFields(*type)) {
      json.BeginObject();
      json.Key("path").String(f.path);
      json.Key("range").String(DescribeRange(*f.field));
      json.Key("required").Bool(IsRequired(*f.field));
      json.EndObject();
    }
    json.EndArray();
  }
  json.EndObject();
}

}  // namespace

int InfoMain(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("info");
  opts.add_options()("json", "print one JSON object")(
      "preset", po::value<std::string>(), "print one system preset as textproto")(
      "ranges",
      "print the valid range of every numeric field of the system, "
      "workload and graph schemas, by path");
  po::variables_map vm;
  if (auto exit = ParseOrExit("info", args, opts, vm,
                              "dsasim info [--json] [--preset NAME] [--ranges]")) {
    return *exit;
  }
  if (vm.count("preset")) {
    std::string_view text = arch::PresetText(vm["preset"].as<std::string>());
    if (text.empty()) {
      std::cerr << "dsasim info: no preset '" << vm["preset"].as<std::string>() << "'\n";
      return kExitUsage;
    }
    std::cout << text;
    return kExitOk;
  }
  if (vm.count("ranges")) {
    if (vm.count("json")) {
      JsonWriter json;
      PrintRangesJson(json);
      std::cout << json.str() << "\n";
    } else {
      PrintRangesText();
    }
    return kExitOk;
  }
  const ComponentRegistry& registry = arch::SystemCatalog();
  if (vm.count("json")) {
    // {"components": [...], "presets": [...]}: splice the preset list into
    // the registry's own object.
    std::string components = registry.ToJson();
    JsonWriter presets;
    presets.BeginArray();
    for (const std::string& name : arch::PresetNames()) presets.String(name);
    presets.EndArray();
    components.pop_back();
    std::cout << components << ",\"presets\":" << presets.str() << "}\n";
    return kExitOk;
  }
  std::cout << registry.ToText() << "presets:";
  for (const std::string& name : arch::PresetNames()) std::cout << " " << name;
  std::cout << "\n";
  return kExitOk;
}

}  // namespace dsasim::cli
