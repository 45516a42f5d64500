#include "sim/field_ranges.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "dsasim/v1/field_options.pb.h"
#include "dsasim/v1/graph.pb.h"
#include "dsasim/v1/sweep.pb.h"
#include "dsasim/v1/system.pb.h"
#include "sim/error.h"

namespace dsasim {
namespace {

std::string ErrorOf(const google::protobuf::Message& m) {
  try {
    CheckFieldRanges(m, "test");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(FieldRanges, AnExplicitZeroInAnOptionalFieldIsCaughtWhileUnsetIsNot) {
  v1::MmaUnitSpec mma;
  mma.set_flops_per_cycle(1024);
  mma.set_units(4);
  mma.set_min_m(8);
  mma.set_min_n(8);
  mma.set_min_k(16);
  EXPECT_EQ(ErrorOf(mma), "");  // efficiency unset: the default applies
  mma.set_efficiency(0);
  EXPECT_EQ(ErrorOf(mma), "test: efficiency: 0 is out of range (0, 1]");
}

TEST(FieldRanges, NanAndInfinityAreOutOfEveryRange) {
  v1::OpMemoryEfficiency e;
  e.set_op_kind("matmul");
  for (double bad : {std::nan(""), 1.0 / 0.0, -1.0 / 0.0}) {
    e.set_efficiency(bad);
    EXPECT_NE(ErrorOf(e).find("is out of range (0, 1]"), std::string::npos) << bad;
  }
}

TEST(FieldRanges, IntegersPrintAsIntegers) {
  v1::SystolicArraySpec s;
  s.set_rows(-64);
  s.set_cols(128);
  EXPECT_EQ(ErrorOf(s), "test: rows: -64 is out of range [1, 65536]");
}

TEST(FieldRanges, AUnitFieldIsParsedAsTheQuantityItsBoundsName) {
  v1::CoreSpec core;
  core.set_clock("0GHz");
  EXPECT_EQ(ErrorOf(core), "test: clock: '0GHz' is out of range [1MHz, 100GHz]");
  core.set_clock("1.5GB/s");  // a bandwidth where a frequency belongs
  EXPECT_NE(ErrorOf(core).find("'1.5GB/s'"), std::string::npos) << ErrorOf(core);
  core.set_clock("1.5GHz");
  EXPECT_EQ(ErrorOf(core), "");
}

TEST(FieldRanges, ARequiredFieldMustBeGiven) {
  v1::HbmSpec hbm;
  hbm.set_channels_per_stack(8);
  hbm.set_data_rate("6.4Gbps");
  EXPECT_EQ(ErrorOf(hbm), "test: stacks: missing; it is required, in [1, 64]");
}

TEST(FieldRanges, NestedAndRepeatedFieldsAreNamedByTheirSetPath) {
  v1::System s;
  s.mutable_chip()->set_cores(4);
  s.mutable_chip()->mutable_core()->set_clock("1GHz");
  v1::OpLaunchOverhead* o = s.mutable_chip()->add_op_launch_overheads();
  o->set_op_kind("norm");
  o->set_overhead("2s");
  // Other required fields of an absent message are not asked for.
  EXPECT_EQ(
      ErrorOf(s),
      "test: chip.op_launch_overheads['norm'].overhead: '2s' is out of range [0s, 1s]");
}

TEST(FieldRanges, AGraphsPerSequenceListIsCheckedElementByElement) {
  v1::OperatorGraph g;
  v1::Operator* op = g.add_ops();
  op->set_name("attn");
  v1::Attention* a = op->mutable_attention();
  a->set_num_q_heads(8);
  a->set_head_dim(128);
  a->add_kv_lens(128);
  a->add_kv_lens(4000000000000000);
  EXPECT_EQ(ErrorOf(g),
            "test: ops['attn'].attention.kv_lens[1]: 4000000000000000 is out of "
            "range [0, 1073741824]");
}

// Every declared range must parse: a bound with a typo would otherwise
// surface only when a user first sets that field.
TEST(FieldRanges, EveryDeclaredBoundOfEverySchemaParsesAndLiesInItsOwnRange) {
  for (const google::protobuf::Descriptor* type :
       {v1::System::descriptor(), v1::OperatorGraph::descriptor(),
        v1::WorkloadSpec::descriptor()}) {
    std::vector<RangedField> fields = RangedFields(*type);
    EXPECT_GT(fields.size(), 10u) << type->full_name();
    for (const RangedField& f : fields) {
      const v1::FieldRange& r = f.field->options().GetExtension(v1::range);
      if (!r.min().empty()) {
        EXPECT_EQ(InDeclaredRange(*f.field, r.min()), !r.min_exclusive()) << f.path;
      }
      if (!r.max().empty()) {
        EXPECT_EQ(InDeclaredRange(*f.field, r.max()), !r.max_exclusive()) << f.path;
      }
      EXPECT_FALSE(InDeclaredRange(*f.field, "nan")) << f.path;
    }
  }
}

}  // namespace
}  // namespace dsasim
