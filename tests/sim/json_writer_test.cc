#include "sim/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dsasim {
namespace {

TEST(JsonWriter, WritesNestedContainersWithCommas) {
  JsonWriter json;
  json.BeginObject();
  json.Key("a").Int(1);
  json.Key("b").BeginArray().String("x").Bool(true).Null().EndArray();
  json.Key("c").BeginObject().EndObject();
  json.EndObject();
  EXPECT_EQ(json.str(), R"({"a":1,"b":["x",true,null],"c":{}})");
}

TEST(JsonWriter, EscapesStringsAndWritesNonFiniteAsNull) {
  JsonWriter json;
  json.BeginArray().String("q\"\\\n").Number(NAN).Number(0.5).EndArray();
  EXPECT_EQ(json.str(), R"(["q\"\\\n",null,0.5])");
}

}  // namespace
}  // namespace dsasim
