#include "sim/proto_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dsasim/v1/graph.pb.h"
#include "dsasim/v1/system.pb.h"
#include "sim/error.h"

namespace dsasim {
namespace {

namespace fs = std::filesystem;

class ProtoIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dsasim_proto_io_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::string ErrorOf(const fs::path& p, google::protobuf::Message& m) {
    try {
      LoadMessage(p, m);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(ProtoIoTest, TextAndBinaryRoundTrip) {
  v1::OperatorGraph g;
  g.set_schema_version(1);
  g.set_name("tiny");
  auto* t = g.add_tensors();
  t->set_name("x");
  t->add_shape(4);
  t->set_dtype(v1::DTYPE_BF16);
  for (const char* name : {"g.pb", "g.textproto"}) {
    SaveMessage(dir_ / name, g);
    v1::OperatorGraph back;
    LoadMessage(dir_ / name, back);
    EXPECT_EQ(back.SerializeAsString(), g.SerializeAsString()) << name;
  }
}

TEST_F(ProtoIoTest, UnknownFieldNamesFileLineAndField) {
  fs::path p = Write("s.textproto", "name: \"x\"\nchip {\n  cores: 4\n  corez: 5\n}\n");
  v1::System s;
  std::string err = ErrorOf(p, s);
  EXPECT_NE(err.find("s.textproto"), std::string::npos) << err;
  EXPECT_NE(err.find("line 4"), std::string::npos) << err;
  EXPECT_NE(err.find("corez"), std::string::npos) << err;
}

TEST_F(ProtoIoTest, TypeErrorIsReported) {
  fs::path p = Write("s.textproto", "chip { cores: \"many\" }\n");
  v1::System s;
  std::string err = ErrorOf(p, s);
  EXPECT_NE(err.find("line 1"), std::string::npos) << err;
  EXPECT_NE(err.find("cores"), std::string::npos) << err;
}

TEST_F(ProtoIoTest, MalformedBinaryIsReported) {
  fs::path p = Write("g.pb", std::string("\x0a\xff\xff\xff\x0f garbage", 13));
  v1::OperatorGraph g;
  std::string err = ErrorOf(p, g);
  EXPECT_NE(err.find("g.pb"), std::string::npos) << err;
  EXPECT_NE(err.find("malformed"), std::string::npos) << err;
}

TEST_F(ProtoIoTest, MissingFileAndUnknownExtensionAreReported) {
  v1::OperatorGraph g;
  EXPECT_NE(ErrorOf(dir_ / "absent.pb", g).find("cannot open"), std::string::npos);
  fs::path p = Write("g.json", "{}");
  EXPECT_NE(ErrorOf(p, g).find("unknown extension"), std::string::npos);
}

}  // namespace
}  // namespace dsasim
