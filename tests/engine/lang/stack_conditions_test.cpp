// lifecycle preconditions and postconditions: parsed (one map or a list),
// evaluated against known values with `self` for postconditions; unknown
// conditions are skipped, false ones name their place and the resource,
// `self` anywhere else is an error.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "fakes/fake_provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

constexpr const char* kHeader = "stack: c\nregions:\n  primary: eu-west-1\n";

class StackConditionsTest : public ::testing::Test {
 protected:
  StackConditionsTest() { provider_.AddThing("fake_thing"); }
  Result<Stack> Load(const std::string& body) {
    std::ofstream(tmp_.File("stack.yaml")) << kHeader << body;
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, provider_, diags_);
  }
  test::TempDir tmp_{"infra-conditions"};
  test::FakeProvider provider_;
  Diagnostics diags_;
};

constexpr const char* kStack = R"(variables:
  size: {type: number, default: 5}
resources:
  a:
    type: fake_thing
    name: a
    size: ${var.size}
    lifecycle:
      precondition: {condition: "${var.size < 4}", error_message: "size ${var.size} is too big"}
      postcondition:
        - condition: ${self.arn != ""}
          error_message: a has no ARN
        - condition: ${self.size == var.size}
          error_message: a has size ${self.size}
)";

TEST_F(StackConditionsTest, FalseConditionsNameTheirPlaceUnknownOnesWait) {
  auto s = Load(kStack);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* a = s->Find("fake_thing.a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(s->HasPostconditions(*a));
  auto pre = s->FailedConditions(*a, false, NoResourceValues());
  ASSERT_EQ(pre.size(), 1u);
  EXPECT_NE(pre[0].find("stack.yaml:12:21: fake_thing.a: precondition failed: size 5 is too big"), std::string::npos)
      << pre[0];

  Value unknown_arn = Value::MakeMap({{"arn", Value::Unknown()}, {"size", Value::Number(5)}});
  EXPECT_TRUE(s->FailedConditions(*a, true, NoResourceValues(), &unknown_arn).empty());
  Value wrong = Value::MakeMap({{"arn", Value::String("")}, {"size", Value::Number(2)}});
  auto post = s->FailedConditions(*a, true, NoResourceValues(), &wrong);
  ASSERT_EQ(post.size(), 2u);
  EXPECT_NE(post[0].find(":14:11: fake_thing.a: postcondition failed: a has no ARN"), std::string::npos) << post[0];
  EXPECT_NE(post[1].find(":16:11: fake_thing.a: postcondition failed: a has size 2"), std::string::npos) << post[1];
  Value fine = Value::MakeMap({{"arn", Value::String("arn:x")}, {"size", Value::Number(5)}});
  EXPECT_TRUE(s->FailedConditions(*a, true, NoResourceValues(), &fine).empty());
}

TEST_F(StackConditionsTest, WhatAConditionReadsIsADependency) {
  // b's attributes never mention a or c: only its conditions do.
  auto s = Load(R"(resources:
  a: {type: fake_thing, name: a}
  c: {type: fake_thing, name: c}
  b:
    type: fake_thing
    name: b
    lifecycle:
      precondition: {condition: "${a.size == null}", error_message: a is sized}
      postcondition: {condition: "${self.size == null}", error_message: "c is ${c.arn}"}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* b = s->Find("fake_thing.b");
  ASSERT_NE(b, nullptr);
  std::set<std::string> refs;
  for (const auto& r : b->references) refs.insert(r.address);
  EXPECT_EQ(refs, (std::set<std::string>{"fake_thing.a", "fake_thing.c"}));
  EXPECT_TRUE(s->Find("fake_thing.a")->references.empty());
}

TEST_F(StackConditionsTest, SelfOutsideAPostconditionIsAnError) {
  auto s = Load(R"(resources:
  a:
    type: fake_thing
    name: a
    lifecycle:
      precondition: {condition: "${self.size > 1}", error_message: never}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  auto pre = s->FailedConditions(*s->Find("fake_thing.a"), false, NoResourceValues());
  ASSERT_EQ(pre.size(), 1u);
  EXPECT_NE(pre[0].find("'self' can only be used in a lifecycle postcondition"), std::string::npos) << pre[0];
}

TEST_F(StackConditionsTest, BadShapesAreValidationErrors) {
  auto s = Load(R"(resources:
  a:
    type: fake_thing
    name: a
    lifecycle:
      precondition: [{condition: true}]
      postcondition: "${true}"
)");
  ASSERT_FALSE(s.ok());
  std::string all = diags_.RenderAll();
  EXPECT_NE(all.find("an assertion needs both 'condition' and 'error_message'"), std::string::npos) << all;
  EXPECT_NE(all.find("'postcondition' must be a list of {condition, error_message} maps"), std::string::npos) << all;
}

}  // namespace
}  // namespace infra::engine
