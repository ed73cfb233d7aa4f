// The planner calls the contract's planning hooks: RequiresReplace (a type
// names changed attributes that force replacement given prior and desired;
// the core alone decides, and never for an unchanged attribute) and
// PlanKnown (computed values that follow from configuration replace
// "(known after apply)" for the resource and for what refers to it).
#include <gtest/gtest.h>

#include "engine/plan/planner.h"
#include "engine/plan_fixture.h"

namespace infra::test {
namespace {
using engine::Action;

class PlannerHooksTest : public PlanFixture {
 protected:
  FakeResourceType* Thing() { return static_cast<FakeResourceType*>(provider.Find("fake_thing")); }

  // Like a replica's source: set -> other value or null -> set replaces,
  // set -> null is an in-place change (a promotion).
  void ReplaceWhenRefChangesToAnotherValue() {
    for (auto& a : Thing()->mutable_schema().attributes)
      if (a.name == "ref") a.unset_clears = true;
    Thing()->requires_replace = [](const provider::Attributes& prior, const provider::Attributes& desired) {
      bool had = prior.contains("ref") && !prior["ref"].is_null();
      bool wants = desired.contains("ref") && !desired["ref"].is_null();
      return wants && (!had || prior["ref"] != desired["ref"]) ? std::vector<std::string>{"ref"}
                                                                : std::vector<std::string>{};
    };
  }
};

TEST_F(PlannerHooksTest, TypeCanForceReplacementOfAChangedAttribute) {
  ReplaceWhenRefChangesToAnotherValue();
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"ref", S("source-1")}});
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "ref", S("source-2"));
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  EXPECT_EQ(a->action, Action::kDeleteThenCreate);
  EXPECT_EQ(a->replace_paths, std::vector<std::string>{"ref"});
  EXPECT_EQ(a->reason, engine::ActionReason::kReplaceBecauseCannotUpdate);
}

TEST_F(PlannerHooksTest, RemovingTheAttributeIsAnInPlaceUpdateWhenTheTypeSaysSo) {
  ReplaceWhenRefChangesToAnotherValue();
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"ref", S("source-1")}});
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "ref", engine::Value());
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  EXPECT_EQ(a->action, Action::kUpdate);
  EXPECT_TRUE(a->replace_paths.empty());
}

TEST_F(PlannerHooksTest, ANamedAttributeThatDidNotChangeNeverForcesReplacement) {
  Thing()->requires_replace = [](const provider::Attributes&, const provider::Attributes&) {
    return std::vector<std::string>{"ref", "size"};
  };
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"ref", S("x")}, {"size", N(1)}});
  ASSERT_TRUE(PlanAndApply().ok());
  EXPECT_FALSE(MustPlan().HasChanges());
  stack.Set("fake_thing.a", "size", N(3));
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  EXPECT_EQ(a->action, Action::kDeleteThenCreate);
  EXPECT_EQ(a->replace_paths, std::vector<std::string>{"size"});
}

TEST_F(PlannerHooksTest, UnknownDesiredValuesAreNotShownToTheType) {
  bool saw_ref = true;
  Thing()->requires_replace = [&](const provider::Attributes&, const provider::Attributes& desired) {
    saw_ref = desired.contains("ref");
    return std::vector<std::string>{};
  };
  stack.Add("fake_other.src", "fake_other", "primary", {{"name", S("src")}});
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"ref", S("x")}});
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_other.src", "name", S("src-2"));  // replaced: its id is unknown in the plan
  stack.Set("fake_thing.a", "ref", S("ref:fake_other.src#id"));
  engine::Plan plan = MustPlan();
  EXPECT_FALSE(saw_ref);
  EXPECT_EQ(plan.Find("fake_thing.a")->action, Action::kUpdate);
}

TEST_F(PlannerHooksTest, PlanKnownValuesReachTheResourceAndItsDependents) {
  Thing()->plan_known = [](const provider::OperationContext& ctx, const provider::Attributes& desired) {
    provider::Attributes known = provider::Attributes::object();
    known["arn"] = "arn:fake:" + ctx.region + ":" + desired.value("name", "");
    known["name"] = "never-overrides-the-user";
    return known;
  };
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#arn")}});
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  ASSERT_TRUE(a->after.at("arn").is_wholly_known());
  EXPECT_EQ(a->after.at("arn").AsString(), "arn:fake:eu-central-1:a");
  EXPECT_EQ(a->after.at("name").AsString(), "a");
  EXPECT_TRUE(a->after.at("id").is_unknown());  // not answered: stays unknown
  const auto* b = plan.Find("fake_thing.b");
  ASSERT_TRUE(b->after.at("ref").is_wholly_known());
  EXPECT_EQ(b->after.at("ref").AsString(), "arn:fake:eu-central-1:a");
}

}  // namespace
}  // namespace infra::test
