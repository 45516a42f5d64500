#include "arch_models/catalog.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dsasim/v1/system.pb.h"

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

}  // namespace
}  // namespace dsasim::arch
