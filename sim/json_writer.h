// File: sim/json_writer.h
//
// A minimal streaming JSON writer for the CLI's --json outputs. Keys are
// written in the order given, so output is deterministic.
//
// Example:
//   JsonWriter json;
//   json.BeginObject();
//   json.Key("latency_s").Number(1.25e-3);
//   json.Key("engines").BeginArray().String("tensor").EndArray();
//   json.EndObject();
//   std::cout << json.str() << "\n";
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dsasim {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  // Non-finite numbers are written as null (JSON has no NaN).
  JsonWriter& Number(double value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  void Escaped(std::string_view s);

  std::string out_;
  // One entry per open container: true once it holds an element.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace dsasim
