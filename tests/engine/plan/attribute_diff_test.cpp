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

TEST(AttributeDiffTest, RemovedOptionalScalarIsAChangeOnlyWhenUnsetClearsIt) {
  Value::Map prior = {{"cidr", S("10.0.0.0/16")}, {"size", Value::Number(1)}, {"note", S("from the stack")}};
  Value::Map desired = WithDefaults({{"cidr", S("10.0.0.0/16")}}, Schema());
  EXPECT_TRUE(DiffAttributes(prior, desired, Schema(), {}).changed.empty());
  provider::ResourceSchema clears = Schema();
  for (auto& a : clears.attributes)
    if (a.name == "note") a.unset_clears = true;
  EXPECT_EQ(DiffAttributes(prior, desired, clears, {}).changed, std::vector<std::string>{"note"});
  Lifecycle l;
  l.ignore_changes = {"note"};
  EXPECT_TRUE(DiffAttributes(prior, desired, clears, l).changed.empty());
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

TEST(AttributeDiffTest, EqualityRulesHideAwsNormalisation) {
  provider::ResourceSchema s;
  s.type = "t";
  auto doc = A("policy", AttrMode::kRequired);
  doc.type = AttrType::kAny;
  doc.equality = provider::Equality::kJsonDocument;
  auto ids = A("sg_ids", AttrMode::kOptional);
  ids.type = AttrType::kSetString;
  auto mode = A("mode", AttrMode::kOptional);
  mode.equality = provider::Equality::kCaseInsensitive;
  auto check = A("health_check", AttrMode::kOptional);
  check.type = AttrType::kObject;
  check.block = {A("path", AttrMode::kOptional), A("port", AttrMode::kOptionalComputed)};
  s.attributes = {doc, ids, mode, check};
  // The user wrote a YAML map with a single statement; AWS reports a
  // URL-encoded string, keys in another order, Statement as a list.
  Value::Map desired = {
      {"policy", Value::FromJson({{"Version", "2012-10-17"},
                                  {"Statement", {{"Effect", "Allow"}, {"Action", "s3:GetObject"}, {"Resource", "*"}}}})},
      {"sg_ids", Value::FromJson({"sg-2", "sg-1"})},
      {"mode", Value::String("Enabled")},
      {"health_check", Value::FromJson({{"path", "/"}})}};
  Value::Map prior = {
      {"policy", Value::String("%7B%22Statement%22%3A%5B%7B%22Resource%22%3A%22%2A%22%2C%22Action%22%3A%5B%22s3%3AGetObject"
                               "%22%5D%2C%22Effect%22%3A%22Allow%22%7D%5D%2C%22Version%22%3A%222012-10-17%22%7D")},
      {"sg_ids", Value::FromJson({"sg-1", "sg-2"})},
      {"mode", Value::String("ENABLED")},
      {"health_check", Value::FromJson({{"path", "/"}, {"port", 80}})}};
  Lifecycle none;
  EXPECT_TRUE(DiffAttributes(prior, desired, s, none).changed.empty());
  EXPECT_TRUE(DriftedAttributes(prior, desired, s).empty());
  // A real change in each is still one.
  desired["policy"] = Value::FromJson({{"Version", "2012-10-17"},
                                       {"Statement", {{"Effect", "Deny"}, {"Action", "s3:GetObject"}, {"Resource", "*"}}}});
  desired["sg_ids"] = Value::FromJson({"sg-1"});
  desired["health_check"] = Value::FromJson({{"path", "/health"}});
  EXPECT_EQ(DiffAttributes(prior, desired, s, none).changed,
            (std::vector<std::string>{"policy", "sg_ids", "health_check"}));
}

}  // namespace
}  // namespace infra::engine
