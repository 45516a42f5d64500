#include "sim/field_ranges.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>

#include "dsasim/v1/field_options.pb.h"
#include "sim/error.h"
#include "sim/units.h"

namespace dsasim {
namespace {

namespace pb = google::protobuf;

// What a field holds, named by the unit of its range's bounds.
enum class Quantity { kNumber, kFrequency, kDuration, kBitRate, kBandwidth, kBytes };

double ParsePlainNumber(std::string_view text) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw UnitError("'" + std::string(text) + "' is not a number");
  }
  return v;
}

double ParseAs(Quantity q, std::string_view text) {
  switch (q) {
    case Quantity::kNumber:
      return ParsePlainNumber(text);
    case Quantity::kFrequency:
      return ParseFrequency(text);
    case Quantity::kDuration:
      return ParseSeconds(text);
    case Quantity::kBitRate:
      return ParseBitRate(text);
    case Quantity::kBandwidth:
      return ParseBandwidth(text);
    case Quantity::kBytes:
      return ParseBytes(text);
  }
  return 0;
}

// Bit rates before bandwidths: a bandwidth parser also accepts "Gbps", and a
// field bounded in bits holds a per-pin rate, not a bandwidth.
constexpr Quantity kUnitQuantities[] = {Quantity::kFrequency, Quantity::kDuration,
                                        Quantity::kBitRate, Quantity::kBandwidth,
                                        Quantity::kBytes};

Quantity QuantityOf(const pb::FieldDescriptor& field, const v1::FieldRange& range) {
  if (field.cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) return Quantity::kNumber;
  const std::string& bound = !range.min().empty() ? range.min() : range.max();
  for (Quantity q : kUnitQuantities) {
    try {
      ParseAs(q, bound);
      return q;
    } catch (const UnitError&) {
    }
  }
  // The schema's own bound does not parse: a bug in the .proto, caught by
  // the test that describes every ranged field.
  throw ConfigError("schema: " + field.full_name() + ": range bound '" + bound +
                    "' has no known unit");
}

struct Bounds {
  Quantity quantity;
  std::optional<double> min, max;
};

Bounds BoundsOf(const pb::FieldDescriptor& field, const v1::FieldRange& range) {
  Bounds b{QuantityOf(field, range), {}, {}};
  if (!range.min().empty()) b.min = ParseAs(b.quantity, range.min());
  if (!range.max().empty()) b.max = ParseAs(b.quantity, range.max());
  return b;
}

bool InRange(double v, const Bounds& b, const v1::FieldRange& r) {
  if (std::isnan(v)) return false;
  if (b.min && (r.min_exclusive() ? !(v > *b.min) : !(v >= *b.min))) return false;
  if (b.max && (r.max_exclusive() ? !(v < *b.max) : !(v <= *b.max))) return false;
  return true;
}

// Integers print as integers ("0", not "0.000000"); others as %g.
std::string NumberText(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e18) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

double NumericValue(const pb::Message& m, const pb::FieldDescriptor& f, int index) {
  const pb::Reflection& r = *m.GetReflection();
  const bool rep = f.is_repeated();
  switch (f.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return rep ? r.GetRepeatedInt32(m, &f, index) : r.GetInt32(m, &f);
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(rep ? r.GetRepeatedInt64(m, &f, index)
                                     : r.GetInt64(m, &f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return rep ? r.GetRepeatedUInt32(m, &f, index) : r.GetUInt32(m, &f);
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(rep ? r.GetRepeatedUInt64(m, &f, index)
                                     : r.GetUInt64(m, &f));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return rep ? r.GetRepeatedDouble(m, &f, index) : r.GetDouble(m, &f);
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      return rep ? r.GetRepeatedFloat(m, &f, index) : r.GetFloat(m, &f);
    default:
      return 0;
  }
}

// Walks a message; the path to the field being checked is kept as a stack
// of (field, element) steps and spelled out only when a check fails, so a
// large graph is checked without building a string per field.
class RangeChecker {
 public:
  explicit RangeChecker(std::string_view origin) : origin_(origin) {}

  void Check(const pb::Message& m) {
    const pb::Descriptor& d = *m.GetDescriptor();
    const pb::Reflection& r = *m.GetReflection();
    for (int i = 0; i < d.field_count(); ++i) {
      const pb::FieldDescriptor& f = *d.field(i);
      const bool present = f.is_repeated() ? r.FieldSize(m, &f) > 0 : r.HasField(m, &f);
      const v1::FieldRange* range = f.options().HasExtension(v1::range)
                                        ? &f.options().GetExtension(v1::range)
                                        : nullptr;
      path_.push_back({&f, nullptr, -1});
      if (range != nullptr && range->required() && !present) {
        Fail("missing; it is required, in " + DescribeRange(f));
      }
      if (present && f.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        CheckMessages(m, f);
      } else if (present && range != nullptr) {
        CheckValues(m, f, *range);
      }
      path_.pop_back();
    }
  }

 private:
  struct Step {
    const pb::FieldDescriptor* field;
    const pb::Message* element;  // a repeated message's element, named on failure
    int index;                   // -1: the field itself
  };

  void CheckMessages(const pb::Message& m, const pb::FieldDescriptor& f) {
    const pb::Reflection& r = *m.GetReflection();
    if (!f.is_repeated()) {
      Check(r.GetMessage(m, &f));
      return;
    }
    for (int k = 0; k < r.FieldSize(m, &f); ++k) {
      const pb::Message& e = r.GetRepeatedMessage(m, &f, k);
      path_.back().element = &e;
      path_.back().index = k;
      Check(e);
    }
  }

  void CheckValues(const pb::Message& m, const pb::FieldDescriptor& f,
                   const v1::FieldRange& range) {
    const pb::Reflection& r = *m.GetReflection();
    const Bounds bounds = BoundsOf(f, range);
    const int n = f.is_repeated() ? r.FieldSize(m, &f) : 1;
    for (int k = 0; k < n; ++k) {
      if (f.is_repeated()) path_.back().index = k;
      if (f.cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
        const std::string& text =
            f.is_repeated() ? r.GetRepeatedString(m, &f, k) : r.GetString(m, &f);
        double v = 0;
        try {
          v = ParseAs(bounds.quantity, text);
        } catch (const UnitError& e) {
          Fail(e.what());
        }
        if (!InRange(v, bounds, range)) {
          Fail("'" + text + "' is out of range " + DescribeRange(f));
        }
      } else {
        const double v = NumericValue(m, f, k);
        if (!InRange(v, bounds, range)) {
          Fail(NumberText(v) + " is out of range " + DescribeRange(f));
        }
      }
    }
  }

  // An element is named by its first string field when that is set (an
  // op's name, an efficiency's op_kind): "ops['layer0.q_proj']". Else by
  // its index: "[3]".
  static std::string ElementName(const pb::Message& e, int index) {
    const pb::Descriptor& d = *e.GetDescriptor();
    for (int i = 0; i < d.field_count(); ++i) {
      const pb::FieldDescriptor& f = *d.field(i);
      if (f.cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING || f.is_repeated())
        continue;
      std::string text = e.GetReflection()->GetString(e, &f);
      if (!text.empty()) return "['" + text + "']";
      break;
    }
    return "[" + std::to_string(index) + "]";
  }

  [[noreturn]] void Fail(const std::string& why) const {
    std::string path;
    for (const Step& s : path_) {
      path += (path.empty() ? "" : ".") + s.field->name();
      if (s.element != nullptr) {
        path += ElementName(*s.element, s.index);
      } else if (s.index >= 0) {
        path += "[" + std::to_string(s.index) + "]";
      }
    }
    throw ConfigError(origin_ + ": " + path + ": " + why);
  }

  std::string origin_;
  std::vector<Step> path_;
};

void CollectRanged(const pb::Descriptor& type, const std::string& path,
                   std::vector<RangedField>& out,
                   std::vector<const pb::Descriptor*>& stack) {
  for (const pb::Descriptor* open : stack) {
    if (open == &type) return;  // a recursive message type: list it once
  }
  stack.push_back(&type);
  for (int i = 0; i < type.field_count(); ++i) {
    const pb::FieldDescriptor& f = *type.field(i);
    std::string here = (path.empty() ? "" : path + ".") + f.name();
    if (f.options().HasExtension(v1::range)) out.push_back({here, &f});
    if (f.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectRanged(*f.message_type(), f.is_repeated() ? here + "[]" : here, out, stack);
    }
  }
  stack.pop_back();
}

}  // namespace

void CheckFieldRanges(const pb::Message& message, std::string_view origin) {
  RangeChecker(origin).Check(message);
}

std::string DescribeRange(const pb::FieldDescriptor& field) {
  if (!field.options().HasExtension(v1::range)) return "";
  const v1::FieldRange& r = field.options().GetExtension(v1::range);
  return std::string(r.min_exclusive() || r.min().empty() ? "(" : "[") +
         (r.min().empty() ? "-inf" : r.min()) + ", " +
         (r.max().empty() ? "inf" : r.max()) +
         (r.max_exclusive() || r.max().empty() ? ")" : "]");
}

bool IsRequired(const pb::FieldDescriptor& field) {
  return field.options().HasExtension(v1::range) &&
         field.options().GetExtension(v1::range).required();
}

bool InDeclaredRange(const pb::FieldDescriptor& field, std::string_view text) {
  if (!field.options().HasExtension(v1::range)) return true;
  const v1::FieldRange& range = field.options().GetExtension(v1::range);
  const Bounds bounds = BoundsOf(field, range);
  try {
    return InRange(ParseAs(bounds.quantity, text), bounds, range);
  } catch (const UnitError&) {
    return false;
  }
}

std::vector<RangedField> RangedFields(const pb::Descriptor& type) {
  std::vector<RangedField> out;
  std::vector<const pb::Descriptor*> stack;
  CollectRanged(type, "", out, stack);
  return out;
}

}  // namespace dsasim
