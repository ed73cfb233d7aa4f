// Planner tests: actions from the one switch, attribute detail, unknowns,
// drift, refresh batching, refresh-only, targets, destroy, prevent_destroy,
// ignore_changes, and "no changes" after an apply.
#include "engine/plan/planner.h"

#include <gtest/gtest.h>

#include "engine/plan_fixture.h"

namespace infra::test {
namespace {
using engine::Action;
using engine::ActionReason;
using engine::PlanMode;

class PlannerTest : public PlanFixture {
 protected:
  void TwoThings() {
    stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"size", N(2)}});
    stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  }
};

TEST(DecideActionTest, OneSwitchCoversEveryCase) {
  using engine::DecideAction;
  EXPECT_EQ(DecideAction(false, true, false, false, false), Action::kCreate);
  EXPECT_EQ(DecideAction(false, false, false, false, false), Action::kNoOp);
  EXPECT_EQ(DecideAction(true, false, true, true, true), Action::kDelete);
  EXPECT_EQ(DecideAction(true, true, true, true, false), Action::kDeleteThenCreate);
  EXPECT_EQ(DecideAction(true, true, true, false, true), Action::kCreateThenDelete);
  EXPECT_EQ(DecideAction(true, true, false, true, false), Action::kUpdate);
  EXPECT_EQ(DecideAction(true, true, false, false, false), Action::kNoOp);
}

TEST_F(PlannerTest, EmptyStateCreatesEverythingWithUnknownsForComputedValues) {
  TwoThings();
  engine::Plan plan = MustPlan();
  ASSERT_EQ(plan.changes.size(), 2u);
  const auto* a = plan.Find("fake_thing.a");
  const auto* b = plan.Find("fake_thing.b");
  EXPECT_EQ(a->action, Action::kCreate);
  EXPECT_TRUE(a->after.at("id").is_unknown());
  EXPECT_TRUE(a->after.at("arn").is_unknown());
  EXPECT_TRUE(a->after.at("zone").is_unknown());  // optional+computed, unset
  EXPECT_EQ(a->after.at("size").AsNumber(), 2);
  EXPECT_TRUE(b->after.at("ref").is_unknown());
  EXPECT_EQ(b->after.at("size").AsNumber(), 1);  // schema default
  EXPECT_EQ(plan.Summary().add, 2);
  EXPECT_EQ(provider.CountCalls("read"), 0);  // nothing in state to refresh
}

TEST_F(PlannerTest, PlanAfterApplyHasNoChanges) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  engine::Plan plan = MustPlan();
  EXPECT_FALSE(plan.HasChanges());
  for (const auto& c : plan.changes) EXPECT_FALSE(c.drift.has_value()) << c.address;
}

TEST_F(PlannerTest, ComputedValueTheUserDidNotSetIsNotDrift) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  provider.Mutate(state.Get("fake_thing.a").id, "zone", "eu-central-1b");
  provider.Mutate(state.Get("fake_thing.a").id, "arn", "arn:changed");
  ASSERT_TRUE(PlanAndApply().ok());  // record zone in state
  provider.Mutate(state.Get("fake_thing.a").id, "arn", "arn:changed-again");
  engine::Plan plan = MustPlan();
  EXPECT_FALSE(plan.HasChanges());
}

TEST_F(PlannerTest, UpdatableChangeIsAnInPlaceUpdate) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "size", N(5));
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  EXPECT_EQ(a->action, Action::kUpdate);
  EXPECT_EQ(a->ChangedAttributes(), std::vector<std::string>{"size"});
  EXPECT_EQ(plan.Find("fake_thing.b")->action, Action::kNoOp);  // a's id is still known
  EXPECT_EQ(plan.Summary().change, 1);
}

TEST_F(PlannerTest, ForceNewChangeReplacesAndNamesTheAttribute) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "name", S("renamed"));
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  EXPECT_EQ(a->action, Action::kDeleteThenCreate);
  EXPECT_EQ(a->reason, ActionReason::kReplaceBecauseCannotUpdate);
  EXPECT_EQ(a->replace_paths, std::vector<std::string>{"name"});
  const auto* b = plan.Find("fake_thing.b");
  EXPECT_EQ(b->action, Action::kUpdate);
  EXPECT_TRUE(b->after.at("ref").is_unknown());
  auto s = plan.Summary();
  EXPECT_EQ(s.add, 1);
  EXPECT_EQ(s.destroy, 1);
  EXPECT_EQ(s.change, 1);
}

TEST_F(PlannerTest, CreateBeforeDestroyChoosesCreateThenDelete) {
  auto& a = stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  a.lifecycle.create_before_destroy = true;
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "name", S("a2"));
  EXPECT_EQ(MustPlan().Find("fake_thing.a")->action, Action::kCreateThenDelete);
}

TEST_F(PlannerTest, ReplaceByRequest) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  auto req = Request();
  req.replace = {"fake_thing.a"};
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->Find("fake_thing.a")->action, Action::kDeleteThenCreate);
  EXPECT_EQ(plan->Find("fake_thing.a")->reason, ActionReason::kReplaceByRequest);
  req.replace = {"fake_thing.nope"};
  EXPECT_FALSE(engine::MakePlan(req).ok());
}

TEST_F(PlannerTest, IgnoreChangesHidesTheAttribute) {
  auto& a = stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"size", N(2)}});
  a.lifecycle.ignore_changes = {"size"};
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "size", N(9));
  EXPECT_FALSE(MustPlan().HasChanges());
}

TEST_F(PlannerTest, PreventDestroyFailsAPlanThatWouldDestroy) {
  auto& a = stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  a.lifecycle.prevent_destroy = true;
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "name", S("a2"));
  auto plan = engine::MakePlan(Request());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().code, "PreventDestroy");
  EXPECT_NE(plan.error().message.find("stack.yaml:1:1: fake_thing.a: lifecycle.prevent_destroy"), std::string::npos)
      << plan.error().message;
  EXPECT_NE(plan.error().message.find("name cannot be changed in place"), std::string::npos);
  auto destroy = engine::MakePlan(Request(PlanMode::kDestroy));
  ASSERT_FALSE(destroy.ok());
  EXPECT_EQ(destroy.error().code, "PreventDestroy");
}

TEST_F(PlannerTest, ResourceRemovedFromStackIsDeleted) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Remove("fake_thing.b");
  engine::Plan plan = MustPlan();
  const auto* b = plan.Find("fake_thing.b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->action, Action::kDelete);
  EXPECT_EQ(b->reason, ActionReason::kDeleteBecauseNoConfig);
  EXPECT_EQ(plan.Summary().destroy, 1);
}

TEST_F(PlannerTest, DriftIsShownWithWhatChangedAndPlannedBack) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  provider.Mutate(state.Get("fake_thing.a").id, "size", 7);
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  ASSERT_TRUE(a->drift.has_value());
  EXPECT_EQ(a->drift->changed, std::vector<std::string>{"size"});
  EXPECT_EQ(a->drift->before.at("size").AsNumber(), 2);
  EXPECT_EQ(a->drift->after.at("size").AsNumber(), 7);
  EXPECT_EQ(a->action, Action::kUpdate);
}

TEST_F(PlannerTest, ResourceDeletedOutsideIsRecreated) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  provider.Remove(state.Get("fake_thing.a").id);
  engine::Plan plan = MustPlan();
  const auto* a = plan.Find("fake_thing.a");
  ASSERT_TRUE(a->drift.has_value());
  EXPECT_TRUE(a->drift->deleted);
  EXPECT_EQ(a->action, Action::kCreate);
  EXPECT_EQ(a->reason, ActionReason::kCreateBecauseDeletedOutside);
  EXPECT_EQ(plan.Find("fake_thing.b")->action, Action::kUpdate);  // its ref becomes unknown
}

TEST_F(PlannerTest, RefreshIsOneReadPerTypeAndRegion) {
  for (int i = 0; i < 5; ++i) {
    std::string p = "fake_thing.p" + std::to_string(i), d = "fake_thing.d" + std::to_string(i);
    stack.Add(p, "fake_thing", "primary", {{"name", S(p)}});
    stack.Add(d, "fake_thing", "dr", {{"name", S(d)}});
  }
  stack.Add("fake_other.o", "fake_other", "primary", {{"name", S("o")}});
  ASSERT_TRUE(PlanAndApply().ok());
  int before = provider.CountCalls("read");
  engine::PlanStats stats;
  auto plan = engine::MakePlan(Request(), &stats);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(provider.CountCalls("read") - before, 3);
  EXPECT_EQ(stats.refresh_calls, 3);
  EXPECT_EQ(stats.refreshed, 11);
}

// Issue 11: a global type (IAM) declared in several regions is refreshed
// once per stack, not once per region.
TEST_F(PlannerTest, RefreshReadsAGlobalTypeOncePerStack) {
  provider.AddThing("fake_global", "iam")->mutable_schema().scope = provider::Scope::kGlobal;
  for (int i = 0; i < 3; ++i) {
    std::string p = "fake_global.p" + std::to_string(i), d = "fake_global.d" + std::to_string(i);
    stack.Add(p, "fake_global", "primary", {{"name", S(p)}});
    stack.Add(d, "fake_global", "dr", {{"name", S(d)}});
  }
  ASSERT_TRUE(PlanAndApply().ok());
  int before = provider.CountCalls("read");
  engine::PlanStats stats;
  auto plan = engine::MakePlan(Request(), &stats);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(provider.CountCalls("read") - before, 1);
  EXPECT_EQ(stats.refresh_calls, 1);
  EXPECT_EQ(stats.refreshed, 6);
  for (const auto& c : plan->changes) EXPECT_EQ(c.action, Action::kNoOp) << c.address;
}

TEST_F(PlannerTest, RefreshFalseMakesNoCalls) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  provider.Mutate(state.Get("fake_thing.a").id, "size", 7);
  int before = provider.CountCalls("read");
  auto req = Request();
  req.refresh = false;
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(provider.CountCalls("read"), before);
  EXPECT_FALSE(plan->HasChanges());  // drift invisible without refresh
}

TEST_F(PlannerTest, RefreshOnlyReportsDriftAndApplyAcceptsIt) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  provider.Mutate(state.Get("fake_thing.a").id, "size", 7);
  engine::Plan plan = MustPlan(PlanMode::kRefreshOnly);
  EXPECT_EQ(plan.Find("fake_thing.a")->action, Action::kRead);
  EXPECT_EQ(plan.Find("fake_thing.b")->action, Action::kNoOp);
  EXPECT_EQ(plan.Summary().read, 1);
  EXPECT_TRUE(plan.HasChanges());
  auto report = MustApply(plan, Options());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("size", 0), 7);
  EXPECT_EQ(provider.CountCalls("update"), 0);
  // Now the stack (size 2) differs from state (7): a normal plan updates.
  EXPECT_EQ(MustPlan().Find("fake_thing.a")->action, Action::kUpdate);
}

TEST_F(PlannerTest, TargetIncludesItsDependenciesOnly) {
  TwoThings();
  stack.Add("fake_thing.c", "fake_thing", "primary", {{"name", S("c")}});
  auto req = Request();
  req.targets = {"fake_thing.b"};
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->Find("fake_thing.a")->action, Action::kCreate);
  EXPECT_EQ(plan->Find("fake_thing.b")->action, Action::kCreate);
  EXPECT_EQ(plan->Find("fake_thing.c")->action, Action::kNoOp);
  req.targets = {"fake_thing.zzz"};
  auto bad = engine::MakePlan(req);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--target fake_thing.zzz"), std::string::npos);
}

TEST_F(PlannerTest, RegionScopeActsOnOneRegion) {
  stack.Add("fake_thing.p", "fake_thing", "primary", {{"name", S("p")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}});
  auto req = Request();
  req.only_region = "dr";
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->Find("fake_thing.p")->action, Action::kNoOp);
  EXPECT_EQ(plan->Find("fake_thing.d")->action, Action::kCreate);
}

TEST_F(PlannerTest, DestroyPlanDeletesEverythingInState) {
  TwoThings();
  ASSERT_TRUE(PlanAndApply().ok());
  engine::Plan plan = MustPlan(PlanMode::kDestroy);
  EXPECT_EQ(plan.Summary().destroy, 2);
  for (const auto& c : plan.changes) EXPECT_EQ(c.reason, ActionReason::kDeleteBecauseDestroy);
}

TEST_F(PlannerTest, SensitiveAttributesAreMarked) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"secret", S("hunter2")}});
  engine::Plan plan = MustPlan();
  EXPECT_TRUE(plan.Find("fake_thing.a")->after.at("secret").sensitive());
}

TEST(TopologicalOrderTest, StableAndDependenciesFirst) {
  std::vector<engine::ConfigResource> rs(4);
  rs[0].address = "c";
  rs[0].depends_on = {"b"};
  rs[1].address = "a";
  rs[2].address = "b";
  rs[2].depends_on = {"a", "missing"};
  rs[3].address = "d";
  auto out = engine::TopologicalOrder(rs);
  std::vector<std::string> order;
  for (const auto& r : out) order.push_back(r.address);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_F(PlannerTest, DependencyOfACreateBeforeDestroyResourceInheritsIt) {
  // y's name is x's id: replacing x replaces y. Were x delete-then-create,
  // deleting x would wait for y's old object, which waits for y's new one,
  // which waits for x's new one: a cycle. Terraform makes x create-first too.
  stack.Add("fake_thing.x", "fake_thing", "primary", {{"name", S("x")}});
  auto& y = stack.Add("fake_thing.y", "fake_thing", "primary", {{"name", S("ref:fake_thing.x#id")}});
  y.lifecycle.create_before_destroy = true;
  stack.Add("fake_thing.z", "fake_thing", "primary", {{"name", S("z")}});
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.x", "name", S("x2"));
  stack.Set("fake_thing.z", "name", S("z2"));
  engine::Plan plan = MustPlan();
  EXPECT_EQ(plan.Find("fake_thing.x")->action, engine::Action::kCreateThenDelete);
  EXPECT_TRUE(plan.Find("fake_thing.x")->create_before_destroy);
  EXPECT_EQ(plan.Find("fake_thing.y")->action, engine::Action::kCreateThenDelete);
  EXPECT_EQ(plan.Find("fake_thing.z")->action, engine::Action::kDeleteThenCreate);  // unrelated: unchanged
  auto report = MustApply(plan, Options());
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(provider.CountObjects("fake_thing.x"), 1);
  EXPECT_EQ(provider.CountObjects("fake_thing.y"), 1);
  EXPECT_EQ(state.Get("fake_thing.y").attributes.value("name", ""), state.Get("fake_thing.x").id);
}

}  // namespace
}  // namespace infra::test
