#include "arch_models/catalog.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dsasim/v1/system.pb.h"
#include "sim/field_ranges.h"

namespace dsasim::arch {
namespace {

TEST(ComponentCatalog, ListsEachBuildingBlockOnce) {
  std::set<std::string> types;
  for (const ComponentInfo* info : ComponentCatalog().types()) {
    EXPECT_TRUE(types.insert(std::string(info->type)).second) << info->type;
  }
  for (const char* type : {"tensor_engine", "systolic_array", "mma_unit", "vector_engine",
                           "hbm", "scratchpad", "shared_sram", "dma", "dma_capability"}) {
    EXPECT_NE(ComponentCatalog().Find(type), nullptr) << type;
  }
}

TEST(ComponentCatalog, EveryConfigFieldIsDocumentedAndEveryParamIsAField) {
  // Touching a descriptor links system.pb.o, which registers its messages
  // in the generated pool.
  ASSERT_NE(v1::System::descriptor(), nullptr);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const ComponentInfo* info : ComponentCatalog().types()) {
    const google::protobuf::Descriptor* message =
        pool->FindMessageTypeByName(std::string(info->config_message));
    ASSERT_NE(message, nullptr) << info->type << ": " << info->config_message;
    std::set<std::string> fields;
    for (int i = 0; i < message->field_count(); ++i) {
      fields.insert(std::string(message->field(i)->name()));
    }
    std::set<std::string> params;
    for (const ParamInfo& p : info->params) {
      EXPECT_TRUE(params.insert(std::string(p.name)).second)
          << info->type << " documents " << p.name << " twice";
      EXPECT_FALSE(p.help.empty()) << info->type << "." << p.name;
      EXPECT_FALSE(p.unit.empty()) << info->type << "." << p.name;
    }
    EXPECT_EQ(params, fields) << info->type;
    EXPECT_FALSE(info->stats.empty()) << info->type;
  }
}

// Issue 14: fields that `dsasim info` marked "(required)" could be left out
// of a textproto. The schema's range now says what is required, and the
// registry's text must agree with it for every ranged field.
TEST(ComponentCatalog, WhatInfoCallsRequiredIsWhatTheSchemaRequires) {
  ASSERT_NE(v1::System::descriptor(), nullptr);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const ComponentInfo* info : ComponentCatalog().types()) {
    const auto* type = pool->FindMessageTypeByName(std::string(info->config_message));
    ASSERT_NE(type, nullptr) << info->config_message;
    for (const ParamInfo& p : info->params) {
      const auto* field = type->FindFieldByName(std::string(p.name));
      ASSERT_NE(field, nullptr) << p.name;
      if (DescribeRange(*field).empty()) continue;  // enums and names: the loader's
      EXPECT_EQ(p.default_value == "(required)", IsRequired(*field))
          << info->type << "." << p.name << " default '" << p.default_value << "'";
    }
  }
}

}  // namespace
}  // namespace dsasim::arch
