#include "sim/component_info.h"

#include <google/protobuf/descriptor.h>

#include <sstream>

#include "sim/field_ranges.h"
#include "sim/json_writer.h"

namespace dsasim {
namespace {

// The declared range of a component's parameter, read from its config
// message's schema so the registry never restates it.
std::string ParamRange(const ComponentInfo& info, const ParamInfo& param) {
  const auto* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(info.config_message));
  if (type == nullptr) return "";
  const auto* field = type->FindFieldByName(std::string(param.name));
  return field == nullptr ? "" : DescribeRange(*field);
}

}  // namespace

const ComponentInfo* ComponentRegistry::Find(std::string_view type) const {
  for (const ComponentInfo* info : types_) {
    if (info->type == type) return info;
  }
  return nullptr;
}

std::string ComponentRegistry::ToText() const {
  std::ostringstream out;
  for (const ComponentInfo* info : types_) {
    out << info->type << "  (" << info->config_message << ")\n  " << info->help
        << "\n  parameters:\n";
    for (const ParamInfo& p : info->params) {
      const std::string range = ParamRange(*info, p);
      out << "    " << p.name << " [" << p.unit << "] default " << p.default_value
          << (range.empty() ? "" : ", range " + range) << " — " << p.help << "\n";
    }
    out << "  statistics:\n";
    for (const StatInfo& s : info->stats) {
      out << "    " << s.name << " [" << s.unit << "] — " << s.help << "\n";
    }
    out << "\n";
  }
  return out.str();
}

std::string ComponentRegistry::ToJson() const {
  JsonWriter json;
  json.BeginObject().Key("components").BeginArray();
  for (const ComponentInfo* info : types_) {
    json.BeginObject();
    json.Key("type").String(info->type);
    json.Key("config_message").String(info->config_message);
    json.Key("help").String(info->help);
    json.Key("params").BeginArray();
    for (const ParamInfo& p : info->params) {
      json.BeginObject();
      json.Key("name").String(p.name);
      json.Key("unit").String(p.unit);
      json.Key("default").String(p.default_value);
      json.Key("range").String(ParamRange(*info, p));
      json.Key("help").String(p.help);
      json.EndObject();
    }
    json.EndArray().Key("stats").BeginArray();
    for (const StatInfo& s : info->stats) {
      json.BeginObject();
      json.Key("name").String(s.name);
      json.Key("unit").String(s.unit);
      json.Key("help").String(s.help);
      json.EndObject();
    }
    json.EndArray().EndObject();
  }
  json.EndArray().EndObject();
  return json.str();
}

}  // namespace dsasim
