// File: sim/proto_io.h
//
// Reading and writing protobuf messages as files, in the format their name
// says: binary for ".pb"/".bin", text format for ".textproto", ".txtpb",
// ".pbtxt" and ".prototxt". Unknown fields, type errors and malformed input
// raise ConfigError naming the file, line, column and field.
//
// Example:
//   dsasim::v1::OperatorGraph graph;
//   LoadMessage("traces/tiny_decode.textproto", graph);
//   SaveMessage("out.pb", graph);    // atomic: a temp file renamed into place
#pragma once

#include <google/protobuf/message.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace dsasim {

enum class ProtoFormat { kBinary, kText };

// The format a path's extension names; ConfigError for an unknown extension.
ProtoFormat FormatForPath(const std::filesystem::path& path);

void LoadMessage(const std::filesystem::path& path, google::protobuf::Message& msg);
// `origin` names the text in errors (a file path or "<preset h100>").
void ParseTextMessage(std::string_view text, std::string_view origin,
                      google::protobuf::Message& msg);
void SaveMessage(const std::filesystem::path& path, const google::protobuf::Message& msg);
std::string ToTextFormat(const google::protobuf::Message& msg);

// Protobuf reports some problems only by logging them to stderr ("[libprotobuf
// ERROR ...] String field 'dsasim.v1.Operator.name' contains invalid UTF-8").
// After this call, a line protobuf logs while this thread is inside
// LoadMessage or SaveMessage becomes part of the ConfigError that call
// throws (and an error logged while serializing fails SaveMessage: the file
// could not be read back); any other line goes to spdlog at debug level.
// Call once, early in main, before threads start (protobuf's handler is
// process-wide; what is captured is per thread).
void RouteProtobufLogs();

}  // namespace dsasim
