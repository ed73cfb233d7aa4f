// Output changes: the diff itself, the planner filling Plan::output_changes
// in every mode, rendering and JSON of them (a secret never printed), an
// outputs-only plan counting as a change, and apply recording the outputs
// with no resource changed.
#include "engine/plan/outputs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/lang/expr_functions.h"
#include "engine/plan/plan_json.h"
#include "engine/plan/plan_render.h"
#include "engine/plan_fixture.h"

namespace infra::test {
namespace {
using engine::Action;
using engine::PlanMode;
using engine::Value;

constexpr char kSecret[] = "hunter2-do-not-print";

const engine::OutputChange* FindOutput(const engine::Plan& plan, const std::string& name) {
  for (const auto& o : plan.output_changes)
    if (o.name == name) return &o;
  return nullptr;
}

std::string Rendered(const engine::Plan& plan) { return engine::RenderPlan(plan, {false}); }

TEST(DiffOutputsTest, CreateUpdateDeleteNoOpAndUnknown) {
  std::map<std::string, Value> before = {
      {"same", S("x")}, {"changed", S("a")}, {"gone", S("old")}, {"later", S("v")}};
  Value::Map after = {{"same", S("x")}, {"changed", S("b")}, {"new", N(3)}, {"later", Value::Unknown()}};
  auto diff = engine::DiffOutputs(before, after);
  ASSERT_EQ(diff.size(), 5u);  // sorted by name
  EXPECT_EQ(diff[0].name, "changed");
  EXPECT_EQ(diff[0].action, Action::kUpdate);
  EXPECT_EQ(diff[1].name, "gone");
  EXPECT_EQ(diff[1].action, Action::kDelete);
  EXPECT_EQ(diff[2].name, "later");
  EXPECT_EQ(diff[2].action, Action::kUpdate);  // an unknown equals nothing
  EXPECT_EQ(diff[3].name, "new");
  EXPECT_EQ(diff[3].action, Action::kCreate);
  EXPECT_EQ(diff[4].name, "same");
  EXPECT_EQ(diff[4].action, Action::kNoOp);
  for (const auto& o : diff) EXPECT_FALSE(o.sensitive) << o.name;
}

TEST(DiffOutputsTest, SecrecyCountsAndIsFoundNested) {
  std::map<std::string, Value> before = {{"pw", S("p").WithSensitive()}, {"flip", S("v")}};
  Value nested = Value::MakeMap({{"user", S("u")}, {"pw", S("p").WithSensitive()}});
  Value::Map after = {{"pw", S("p").WithSensitive()}, {"flip", S("v").WithSensitive()}, {"conn", nested}};
  auto diff = engine::DiffOutputs(before, after);
  ASSERT_EQ(diff.size(), 3u);
  EXPECT_EQ(diff[0].name, "conn");
  EXPECT_TRUE(diff[0].sensitive);  // a secret nested in a map
  EXPECT_EQ(diff[1].name, "flip");
  EXPECT_EQ(diff[1].action, Action::kUpdate);  // same value, now secret
  EXPECT_TRUE(diff[1].sensitive);
  EXPECT_EQ(diff[2].action, Action::kNoOp);
  EXPECT_TRUE(diff[2].sensitive);
}

class OutputPlanTest : public PlanFixture {
 protected:
  // Apply as the CLI does: execute, then record the outputs.
  void ApplyWithOutputs(const engine::Plan& plan) {
    auto report = MustApply(plan, Options());
    ASSERT_TRUE(report.ok());
    auto recorded = engine::RecordOutputs(stack.OutputEvaluator(), report.values, snapshot.outputs, state);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  }
  void Converge() { ApplyWithOutputs(MustPlan()); }
};

TEST_F(OutputPlanTest, NewOutputOfAResourceToCreateIsKnownAfterApply) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.AddOutput("a_id", S("ref:fake_thing.a#id"));
  stack.AddOutput("name", S("ref:fake_thing.a#name"));
  engine::Plan plan = MustPlan();
  ASSERT_EQ(plan.output_changes.size(), 2u);
  EXPECT_EQ(FindOutput(plan, "a_id")->action, Action::kCreate);
  EXPECT_TRUE(FindOutput(plan, "a_id")->after.is_unknown());
  EXPECT_EQ(FindOutput(plan, "name")->after, S("a"));  // known from the plan
  std::string text = Rendered(plan);
  EXPECT_NE(text.find("Changes to Outputs:\n  + a_id = (known after apply)\n  + name = \"a\"\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << text;

  ApplyWithOutputs(plan);
  ASSERT_TRUE(state.outputs.count("a_id"));
  EXPECT_EQ(state.outputs["a_id"], S(state.Get("fake_thing.a").id));
  engine::Plan again = MustPlan();
  EXPECT_FALSE(again.HasChanges()) << Rendered(again);
  EXPECT_EQ(FindOutput(again, "a_id")->action, Action::kNoOp);
}

TEST_F(OutputPlanTest, OutputsOnlyChangeIsAChangeAndApplyRecordsIt) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"size", N(2)}});
  stack.AddOutput("size", S("ref:fake_thing.a#size"));
  Converge();
  ASSERT_FALSE(MustPlan().HasChanges());

  stack.AddOutput("greeting", S("hello"));
  stack.AddOutput("size", S("ref:fake_thing.a#name"));  // same resource, another attribute
  engine::Plan plan = MustPlan();
  EXPECT_FALSE(plan.HasResourceChanges());
  EXPECT_TRUE(plan.HasOutputChanges());
  EXPECT_TRUE(plan.HasChanges());  // what --detailed-exitcode and apply's prompt look at
  std::string text = Rendered(plan);
  EXPECT_EQ(text.find("will perform the following actions"), std::string::npos) << text;
  EXPECT_NE(text.find("  + greeting = \"hello\"\n  ~ size     = 2 -> \"a\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("without changing any real infrastructure"), std::string::npos) << text;
  EXPECT_TRUE(engine::PlanToJson(plan)["has_changes"].get<bool>());

  int calls = static_cast<int>(provider.Calls().size());
  ApplyWithOutputs(plan);
  EXPECT_EQ(provider.CountCalls("create") + provider.CountCalls("update") + provider.CountCalls("delete"), 1)
      << "only the first create; the outputs-only apply made no call";
  EXPECT_EQ(static_cast<int>(provider.Calls().size()), calls);
  EXPECT_EQ(state.outputs["greeting"], S("hello"));
  EXPECT_EQ(state.outputs["size"], S("a"));
  EXPECT_FALSE(MustPlan().HasChanges());
}

TEST_F(OutputPlanTest, ChangedValueAndRemovedOutputAreShown) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"size", N(2)}});
  stack.AddOutput("size", S("ref:fake_thing.a#size"));
  stack.AddOutput("old", S("bye"));
  Converge();
  stack.Set("fake_thing.a", "size", N(5));
  stack.RemoveOutput("old");
  engine::Plan plan = MustPlan();
  EXPECT_EQ(FindOutput(plan, "size")->action, Action::kUpdate);
  EXPECT_EQ(FindOutput(plan, "old")->action, Action::kDelete);
  std::string text = Rendered(plan);
  EXPECT_NE(text.find("Changes to Outputs:\n  - old  = \"bye\" -> null\n  ~ size = 2 -> 5\n"), std::string::npos)
      << text;
  ApplyWithOutputs(plan);
  EXPECT_FALSE(state.outputs.count("old"));
  EXPECT_EQ(state.outputs["size"], N(5));
}

TEST_F(OutputPlanTest, ReplacedResourceMakesItsOutputKnownAfterApply) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.AddOutput("a_id", S("ref:fake_thing.a#id"));
  Converge();
  std::string old_id = state.Get("fake_thing.a").id;
  stack.Set("fake_thing.a", "name", S("a2"));  // force_new
  engine::Plan plan = MustPlan();
  std::string text = Rendered(plan);
  EXPECT_NE(text.find("~ a_id = \"" + old_id + "\" -> (known after apply)"), std::string::npos) << text;
  nlohmann::json j = engine::PlanToJson(plan)["output_changes"]["a_id"];
  EXPECT_EQ(j["actions"], nlohmann::json({"update"}));
  EXPECT_EQ(j["before"], old_id);
  EXPECT_TRUE(j["after"].is_null());
  EXPECT_EQ(j["after_unknown"], true);
}

TEST_F(OutputPlanTest, SecretOutputIsNeverPrintedNorWrittenToPlanJson) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"secret", S(kSecret).WithSensitive()}});
  stack.AddOutput("password", S(kSecret), true);  // declared sensitive
  stack.AddOutput("derived", S("ref:fake_thing.a#secret"));  // derived from a secret attribute
  engine::Plan plan = MustPlan();
  ASSERT_NE(FindOutput(plan, "password"), nullptr);
  EXPECT_TRUE(FindOutput(plan, "password")->sensitive);
  std::string text = Rendered(plan);
  std::string json = engine::PlanToJson(plan).dump();
  EXPECT_NE(text.find("+ password = (sensitive value)"), std::string::npos) << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
  EXPECT_EQ(json.find(kSecret), std::string::npos) << json;
  nlohmann::json j = engine::PlanToJson(plan)["output_changes"]["password"];
  EXPECT_TRUE(j["after"].is_null());
  EXPECT_EQ(j["after_sensitive"], true);

  Converge();
  ASSERT_TRUE(state.outputs.count("derived"));
  EXPECT_TRUE(engine::ContainsSensitive(state.outputs["derived"]));
  EXPECT_FALSE(MustPlan().HasChanges());
  // A changed secret: the line says so, still without the value.
  stack.AddOutput("password", S(std::string(kSecret) + "-2"), true);
  engine::Plan changed = MustPlan();
  text = Rendered(changed) + engine::PlanToJson(changed).dump();
  EXPECT_NE(text.find("~ password = (sensitive value)"), std::string::npos) << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
  stack.RemoveOutput("password");
  text = Rendered(MustPlan());
  EXPECT_NE(text.find("- password = (sensitive value)"), std::string::npos) << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
}

TEST_F(OutputPlanTest, SavedPlanKeepsOutputChangesWithoutSecrets) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.AddOutput("a_id", S("ref:fake_thing.a#id"));
  stack.AddOutput("greeting", S("hi"));
  stack.AddOutput("password", S(kSecret), true);
  engine::Plan plan = MustPlan();
  auto back = engine::PlanFromJson(engine::PlanToJson(plan));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ASSERT_EQ(back->output_changes.size(), 3u);
  EXPECT_TRUE(back->HasOutputChanges());
  EXPECT_EQ(FindOutput(*back, "greeting")->after, S("hi"));
  EXPECT_TRUE(FindOutput(*back, "a_id")->after.is_unknown());
  EXPECT_TRUE(FindOutput(*back, "password")->sensitive);
  EXPECT_EQ(Rendered(*back), Rendered(plan));
  // Outputs only: a saved plan still says there is something to apply.
  Converge();
  stack.AddOutput("greeting", S("hello"));
  auto outputs_only = engine::PlanFromJson(engine::PlanToJson(MustPlan()));
  ASSERT_TRUE(outputs_only.ok());
  EXPECT_FALSE(outputs_only->HasResourceChanges());
  EXPECT_TRUE(outputs_only->HasChanges());
  EXPECT_EQ(FindOutput(*outputs_only, "greeting")->before, S("hi"));
}

TEST_F(OutputPlanTest, SavedPlanApplyKeepsOutputsDerivedFromSecretsOfUnchangedResources) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"secret", S(kSecret).WithSensitive()}});
  stack.AddOutput("derived", S("ref:fake_thing.a#secret"));
  Converge();
  stack.AddOutput("greeting", S("hi"));  // the only change
  // The saved file has no secrets: fake_thing.a's secret comes back unknown.
  auto saved = engine::PlanFromJson(engine::PlanToJson(MustPlan()));
  ASSERT_TRUE(saved.ok());
  auto report = MustApply(*saved, Options());
  ASSERT_TRUE(report.values.at("fake_thing.a").AsMap().at("secret").is_unknown());
  auto values = engine::ValuesForOutputs(report.values, snapshot, provider);
  auto recorded = engine::RecordOutputs(stack.OutputEvaluator(), values, snapshot.outputs, state);
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_EQ(state.outputs["greeting"], S("hi"));
  EXPECT_EQ(state.outputs["derived"], S(kSecret));
  EXPECT_TRUE(engine::ContainsSensitive(state.outputs["derived"]));
  EXPECT_FALSE(MustPlan().HasChanges()) << Rendered(MustPlan());
}

TEST_F(OutputPlanTest, OutputOverAResourceNotAppliedKeepsItsValueOrStaysAbsent) {
  // A --target (or failed) apply ends without some resources: outputs over
  // them are unknown and must not be recorded as null.
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.AddOutput("a_name", S("ref:fake_thing.a#name"));
  stack.AddOutput("b_id", S("ref:fake_thing.b#id"));
  engine::KnownValues values = {{"fake_thing.a", engine::Value::MakeMap({{"name", S("a")}})}};
  auto first = engine::RecordOutputs(stack.OutputEvaluator(), values, {}, state);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(state.outputs["a_name"], S("a"));
  EXPECT_EQ(state.outputs.count("b_id"), 0u);  // unknown and never recorded: left out, not null
  EXPECT_EQ(first->count("b_id"), 0u);
  std::map<std::string, engine::Value> previous = {{"a_name", S("old-a")}, {"b_id", S("b-123")}};
  auto second = engine::RecordOutputs(stack.OutputEvaluator(), values, previous, state);
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(state.outputs["a_name"], S("a"));      // known: the new value
  EXPECT_EQ(state.outputs["b_id"], S("b-123"));    // unknown now: the recorded value stays
}

TEST_F(OutputPlanTest, DestroyPlanRemovesEveryOutput) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.AddOutput("name", S("ref:fake_thing.a#name"));
  Converge();
  engine::Plan plan = MustPlan(PlanMode::kDestroy);
  ASSERT_EQ(plan.output_changes.size(), 1u);
  EXPECT_EQ(plan.output_changes[0].action, Action::kDelete);
  EXPECT_NE(Rendered(plan).find("- name = \"a\" -> null"), std::string::npos) << Rendered(plan);
}

TEST_F(OutputPlanTest, RefreshOnlyPlansWhatRefreshLearnsButNoUnknowns) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}});
  stack.AddOutput("zone", S("ref:fake_thing.a#zone"));
  Converge();
  stack.AddOutput("b_id", S("ref:fake_thing.later#id"));  // nothing in state: unknown
  provider.Mutate(state.Get("fake_thing.a").id, "zone", "eu-central-1c");
  engine::Plan plan = MustPlan(PlanMode::kRefreshOnly);
  EXPECT_EQ(FindOutput(plan, "zone")->action, Action::kUpdate);
  EXPECT_EQ(FindOutput(plan, "zone")->after, S("eu-central-1c"));
  EXPECT_EQ(FindOutput(plan, "b_id")->action, Action::kNoOp);
}

TEST_F(OutputPlanTest, OutputEvaluationErrorFailsThePlan) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  auto request = Request();
  request.evaluate_outputs = [](const engine::KnownValues&) -> Result<Value::Map> {
    return MakeError(Error::Kind::kInvalid, "StackEval", "stack.yaml:9:3: output 'x': boom");
  };
  auto plan = engine::MakePlan(request);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("output 'x'"), std::string::npos);
}

}  // namespace
}  // namespace infra::test
