// File: sim/component_info.h
//
// What a component type is, which parameters it takes and which statistics it
// publishes — declared once, next to the component, and printed by
// `dsasim info`. The registry is the documentation (SST's sst-info).
//
// Example (in arch_models/memory/hbm/hbm.cc):
//   const ComponentInfo& Hbm::Info() {
//     static const ComponentInfo info{
//         "hbm", "dsasim.v1.HbmSpec", "High-bandwidth memory: stacks of channels.",
//         {{"stacks", "count", "5", "HBM stacks on the package"}, ...},
//         {{"bytes_read", "B", "bytes delivered to readers"}, ...}};
//     return info;
//   }
//   // arch_models/catalog.cc lists it: one line per component type.
//
// Parameter names are the field names of the component's config message; a
// test checks that every field is documented and every documented name is a
// field, so the two cannot drift apart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dsasim {

struct ParamInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view default_value;
  std::string_view help;
};

struct StatInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view help;
};

struct ComponentInfo {
  std::string_view type;
  // Full name of the protobuf message that configures it.
  std::string_view config_message;
  std::string_view help;
  std::vector<ParamInfo> params;
  std::vector<StatInfo> stats;
};

// A read-only list of component types, in registration order.
class ComponentRegistry {
 public:
  explicit ComponentRegistry(std::vector<const ComponentInfo*> types)
      : types_(std::move(types)) {}

  const std::vector<const ComponentInfo*>& types() const { return types_; }
  const ComponentInfo* Find(std::string_view type) const;

  std::string ToText() const;
  std::string ToJson() const;

 private:
  std::vector<const ComponentInfo*> types_;
};

}  // namespace dsasim
