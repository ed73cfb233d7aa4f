// Desired values at apply time: re-evaluation with what completed, the
// ignore_changes rule shared with the planner, the "still unknown" check,
// sensitivity, and the plan's values when there is nothing to re-evaluate.
#include "engine/plan/desired_values.h"

#include <gtest/gtest.h>

#include "engine/plan/attribute_diff.h"

namespace infra::engine {
namespace {
using provider::AttrMode;
using provider::AttrType;

provider::ResourceSchema Schema() {
  provider::ResourceSchema s;
  s.type = "fake_thing";
  auto attr = [](const char* n, AttrMode m) {
    provider::AttributeSchema a;
    a.name = n;
    a.type = AttrType::kString;
    a.mode = m;
    return a;
  };
  s.attributes = {attr("name", AttrMode::kRequired), attr("ref", AttrMode::kOptional),
                  attr("tags", AttrMode::kOptional), attr("arn", AttrMode::kComputed)};
  s.attributes[2].type = AttrType::kMapString;
  return s;
}

ResourceChange Planned() {
  ResourceChange c;
  c.address = "fake_thing.a";
  c.after = {{"name", Value::String("a")}, {"ref", Value::Unknown()}, {"arn", Value::Unknown()}};
  return c;
}

TEST(DesiredValuesTest, WithoutAnEvaluatorThePlansUnknownsAreLeftOut) {
  auto got = FinalizeDesired(Planned(), nullptr, nullptr, {}, nullptr, Schema());
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->attributes, (nlohmann::json{{"name", "a"}}));
}

TEST(DesiredValuesTest, ReEvaluatesWithWhatCompleted) {
  ConfigResource cfg;
  cfg.address = "fake_thing.a";
  AttributeEvaluator eval = [](const ConfigResource&, const KnownValues& known) -> Result<Value::Map> {
    auto it = known.find("fake_thing.vpc");
    Value ref = it == known.end() ? Value::Unknown() : it->second.AsMap().at("id");
    return Value::Map{{"name", Value::String("a")}, {"ref", ref}};
  };
  KnownValues known{{"fake_thing.vpc", Value::MakeMap({{"id", Value::String("vpc-1")}})}};
  auto got = FinalizeDesired(Planned(), &cfg, eval, known, nullptr, Schema());
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->attributes.value("ref", ""), "vpc-1");
  // Still unknown once its dependencies completed: an error naming it.
  auto missing = FinalizeDesired(Planned(), &cfg, eval, {}, nullptr, Schema());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("fake_thing.a: ref is still unknown"), std::string::npos);
}

TEST(DesiredValuesTest, AnUpdateKeepsIgnoredAttributesAsTheyAre) {
  ConfigResource cfg;
  cfg.address = "fake_thing.a";
  cfg.lifecycle.ignore_changes = {"tags", "ref"};
  AttributeEvaluator eval = [](const ConfigResource&, const KnownValues&) -> Result<Value::Map> {
    return Value::Map{{"name", Value::String("a")}, {"ref", Value::String("mine")},
                      {"tags", Value::MakeMap({{"Name", Value::String("mine")}})}};
  };
  nlohmann::json prior = {{"id", "t-1"}, {"name", "a"}, {"tags", {{"Name", "theirs"}}}};
  auto got = FinalizeDesired(Planned(), &cfg, eval, {}, &prior, Schema());
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->attributes["tags"], (nlohmann::json{{"Name", "theirs"}}));  // kept from prior
  EXPECT_FALSE(got->attributes.contains("ref"));  // prior had none: not sent
  // A create (no prior) sends what the stack says.
  auto create = FinalizeDesired(Planned(), &cfg, eval, {}, nullptr, Schema());
  EXPECT_EQ(create->attributes["tags"], (nlohmann::json{{"Name", "mine"}}));
}

TEST(DesiredValuesTest, KeepIgnoredAndTheDiffAgree) {
  // What the planner's diff skips is exactly what the apply keeps.
  Lifecycle lc;
  lc.ignore_changes = {"ref"};
  Value::Map prior{{"name", Value::String("a")}, {"ref", Value::String("old")}};
  Value::Map desired{{"name", Value::String("a")}, {"ref", Value::String("new")}};
  EXPECT_TRUE(DiffAttributes(prior, desired, Schema(), lc).changed.empty());
  EXPECT_EQ(KeepIgnored(desired, prior, Schema(), lc).at("ref").AsString(), "old");
}

TEST(DesiredValuesTest, ValuesFromSecretsAreListedAsSensitive) {
  ResourceChange c = Planned();
  c.after["ref"] = Value::String("hunter2").WithSensitive();
  auto got = FinalizeDesired(c, nullptr, nullptr, {}, nullptr, Schema());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->sensitive, std::vector<std::string>{"ref"});
}

}  // namespace
}  // namespace infra::engine
