// Schema-driven attribute comparison: lenient equality, unset optional and
// computed attributes, force-new detection, ignore_changes, planned values.
#include "engine/plan/attribute_diff.h"

#include <gtest/gtest.h>

namespace infra::engine {
namespace {
using provider::AttrMode;
using provider::AttrType;

provider::AttributeSchema A(const char* name, AttrMode mode, bool force_new = false) {
  provider::AttributeSchema a;
  a.name = name;
  a.mode = mode;
  a.force_new = force_new;
  a.type = AttrType::kString;
  return a;
}

provider::ResourceSchema Schema() {
  provider::ResourceSchema s;
  s.type = "t";
  auto tags = A("tags", AttrMode::kOptional);
  tags.type = AttrType::kMapString;
  auto size = A("size", AttrMode::kOptional);
  size.default_value = 1;
  s.attributes = {A("cidr", AttrMode::kRequired, true), size, A("az", AttrMode::kOptionalComputed, true), tags,
                  A("arn", AttrMode::kComputed), A("note", AttrMode::kOptional)};
  return s;
}

Value S(const char* s) { return Value::String(s); }

TEST(AttributeDiffTest, EquivalentIsLenientAboutRepresentation) {
  EXPECT_TRUE(Equivalent(Value::Number(80), S("80")));
  EXPECT_TRUE(Equivalent(Value::Bool(true), S("true")));
  EXPECT_TRUE(Equivalent(Value(), Value::MakeMap({})));
  EXPECT_TRUE(Equivalent(Value(), Value::MakeList({})));
  EXPECT_FALSE(Equivalent(S("a"), S("b")));
  EXPECT_FALSE(Equivalent(Value::Unknown(), Value::Unknown()));
  EXPECT_TRUE(Equivalent(Value::MakeMap({{"a", S("1")}}), Value::MakeMap({{"a", Value::Number(1)}})));
  EXPECT_FALSE(Equivalent(Value::MakeMap({{"a", S("1")}}), Value::MakeMap({{"a", S("1")}, {"b", S("2")}})));
}

TEST(AttributeDiffTest, ComputedAndUnsetOptionalComputedAreNeverDifferences) {
  Value::Map prior = {{"cidr", S("10.0.0.0/16")}, {"size", Value::Number(1)}, {"az", S("eu-central-1a")},
                      {"arn", S("arn:x")}, {"note", S("set by someone")}};
  Value::Map desired = WithDefaults({{"cidr", S("10.0.0.0/16")}}, Schema());
  auto d = DiffAttributes(prior, desired, Schema(), {});
  EXPECT_TRUE(d.changed.empty()) << d.changed.front();
}

TEST(AttributeDiffTest, ForceNewAndUpdatableChanges) {
  Value::Map prior = {{"cidr", S("10.0.0.0/16")}, {"size", Value::Number(1)}, {"tags", Value::MakeMap({{"a", S("1")}})}};
  Value::Map desired = WithDefaults({{"cidr", S("10.1.0.0/16")}, {"size", Value::Number(2)}}, Schema());
  auto d = DiffAttributes(prior, desired, Schema(), {});
  EXPECT_EQ(d.changed, (std::vector<std::string>{"cidr", "size", "tags"}));  // tags removed entirely
  EXPECT_EQ(d.force_new, std::vector<std::string>{"cidr"});
  Lifecycle l;
  l.ignore_changes = {"cidr", "tags"};
  EXPECT_EQ(DiffAttributes(prior, desired, Schema(), l).changed, std::vector<std::string>{"size"});
  l.ignore_changes = {"all"};
  EXPECT_TRUE(DiffAttributes(prior, desired, Schema(), l).changed.empty());
}

TEST(AttributeDiffTest, PlannedValues) {
  auto created = PlannedForCreate(WithDefaults({{"cidr", S("10.0.0.0/16")}}, Schema()), Schema());
  EXPECT_TRUE(created.at("arn").is_unknown());
  EXPECT_TRUE(created.at("az").is_unknown());
  EXPECT_TRUE(created.at("id").is_unknown());
  EXPECT_EQ(created.at("size").AsNumber(), 1);
  EXPECT_EQ(created.count("note"), 0u);
  nlohmann::json desired = ProviderDesired(created, Schema());
  EXPECT_EQ(desired, nlohmann::json({{"cidr", "10.0.0.0/16"}, {"size", 1}}));
}

TEST(AttributeDiffTest, DriftOnlyOnUserSettableAttributes) {
  Value::Map a = {{"cidr", S("x")}, {"arn", S("1")}, {"note", S("n")}};
  Value::Map b = {{"cidr", S("x")}, {"arn", S("2")}, {"note", S("m")}};
  EXPECT_EQ(DriftedAttributes(a, b, Schema()), std::vector<std::string>{"note"});
}

}  // namespace
}  // namespace infra::engine
