// File: sim/field_ranges.h
//
// Checks the valid ranges that the schemas declare on their own fields
// (`[(dsasim.v1.range) = {...}]`, proto/dsasim/v1/field_options.proto). The
// loaders call it on every system and graph before anything is built from
// them, so an out-of-range number is a clear error up front instead of a
// crash, a hang or a silently substituted default deep inside the model.
//
// Example:
//   CheckFieldRanges(system, "preset h100 (with --set)");
//   // throws ConfigError:
//   // "preset h100 (with --set): chip.core.clock: '0GHz' is out of range [1MHz, 100GHz]"
//   DescribeRange(*v1::SystolicArraySpec::descriptor()->FindFieldByName("rows"));
//   // "[1, 65536]"
//
// Contract:
//   - A scalar field is checked when it is present: a proto3 field without
//     `optional` is present when it differs from 0 / "", so a field for
//     which 0 is invalid but that has a default is declared `optional`, and
//     an explicit 0 is then caught.
//   - A field whose range says `required` must be present.
//   - Unit-carrying strings are parsed with the quantity their bounds name
//     (the bound "1MHz" makes the field a frequency); a value that does not
//     parse as that quantity is reported like an out-of-range one.
//   - Paths are the `--set` paths: "chip.core.dma.bandwidth"; elements of a
//     repeated message are "ops['name']" when they have a name, else "[i]".
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <string_view>
#include <vector>

namespace dsasim {

// Throws ConfigError naming `origin`, the field's path, the value and the
// range at the first field that breaks its declared range.
void CheckFieldRanges(const google::protobuf::Message& message, std::string_view origin);

// "[1, 65536]", "(0, 1]", "[1MHz, 100GHz]", "[0, inf)"; "" when the field
// declares no range.
std::string DescribeRange(const google::protobuf::FieldDescriptor& field);
bool IsRequired(const google::protobuf::FieldDescriptor& field);
// Whether `text`, written as in a textproto ("1.5GHz", "64"), lies in the
// field's declared range (true for a field without one). For sweep axes
// and tests that pick values by range.
bool InDeclaredRange(const google::protobuf::FieldDescriptor& field,
                     std::string_view text);

// A field that declares a range, found by walking a message type.
struct RangedField {
  // "chip.core.clock"; a repeated field's elements as
  // "chip.op_launch_overheads[].overhead".
  std::string path;
  const google::protobuf::FieldDescriptor* field;
};
// Every ranged field at or below `type`, depth first in field order. For
// `dsasim info` and for tests that drive every field past its bounds.
std::vector<RangedField> RangedFields(const google::protobuf::Descriptor& type);

}  // namespace dsasim
