// `dsasim info`: the component registry (types, parameters, statistics) and
// the system presets. The registry is the documentation of every knob.
#include <iostream>

#include "arch_models/catalog.h"
#include "arch_models/chip/system_loader.h"
#include "sim/json_writer.h"
#include "tools/cli/command.h"
#include "tools/cli/common_options.h"

namespace dsasim::cli {

int InfoMain(const std::vector<std::string>& args) {
  po::options_description opts = CommonOptions("info");
  opts.add_options()("json", "print one JSON object")(
      "preset", po::value<std::string>(), "print one system preset as textproto");
  po::variables_map vm;
  if (auto exit =
          ParseOrExit("info", args, opts, vm, "dsasim info [--json] [--preset NAME]")) {
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
  const ComponentRegistry& registry = arch::ComponentCatalog();
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
