// moved: and removed: through the planner on fakes. ApplyMoves renames
// exact addresses, prefixes (modules, counted resources) and chains, and
// refuses conflicts; a moved object is diffed under its new address (no
// destroy), a removed one is forgotten without a delete call.
#include "engine/plan/moves.h"

#include <gtest/gtest.h>

#include "engine/plan/plan_json.h"
#include "engine/plan/plan_render.h"
#include "engine/plan_fixture.h"

namespace infra::test {
namespace {
using engine::Action;
using engine::MoveDecl;

engine::StateSnapshot StateOf(std::vector<std::string> addresses) {
  engine::StateSnapshot s;
  for (const auto& a : addresses) {
    engine::StateResource r;
    r.address = a;
    r.type = "fake_thing";
    r.id = "id-" + a;
    s.resources.push_back(r);
  }
  return s;
}

MoveDecl Move(std::string from, std::string to, int line = 1) {
  return MoveDecl{std::move(from), std::move(to), engine::SourceLoc{"stack.yaml", line, 3}};
}

std::vector<std::string> Addresses(const engine::StateSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& r : s.resources) out.push_back(r.address);
  return out;
}

TEST(ApplyMovesTest, ExactPrefixAndChains) {
  auto state = StateOf({"fake_thing.a", "module.old.fake_thing.x[\"k\"]", "fake_thing.c[0]", "fake_thing.cc"});
  state.resources[0].depends_on = {"fake_thing.c[0]"};
  std::map<std::string, std::string> previous;
  auto got = engine::ApplyMoves(state,
                                {Move("fake_thing.a", "fake_thing.b"), Move("fake_thing.b", "fake_thing.z"),
                                 Move("module.old", "module.new"), Move("fake_thing.c", "fake_thing.d")},
                                {}, &previous);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(Addresses(*got), (std::vector<std::string>{"fake_thing.z", "module.new.fake_thing.x[\"k\"]",
                                                      "fake_thing.d[0]", "fake_thing.cc"}));
  EXPECT_EQ(previous["fake_thing.z"], "fake_thing.a");
  EXPECT_EQ(previous.count("fake_thing.cc"), 0u);  // fake_thing.c is not a prefix of fake_thing.cc
  EXPECT_EQ(got->resources[0].depends_on, std::vector<std::string>{"fake_thing.d[0]"});
}

TEST(ApplyMovesTest, ConflictsAreErrorsNamingTheEntry) {
  std::map<std::string, std::string> previous;
  auto twice = engine::ApplyMoves(StateOf({"fake_thing.a"}),
                                  {Move("fake_thing.a", "fake_thing.b", 4), Move("fake_thing.a", "fake_thing.c", 5)}, {},
                                  &previous);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("stack.yaml:5:3: moved fake_thing.a -> fake_thing.c"), std::string::npos)
      << twice.error().message;
  auto taken = engine::ApplyMoves(StateOf({"fake_thing.a", "fake_thing.b"}), {Move("fake_thing.a", "fake_thing.b")}, {},
                                  &previous);
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(taken.error().message.find("state already holds fake_thing.b"), std::string::npos);
  auto declared = engine::ApplyMoves(StateOf({"fake_thing.a"}), {Move("fake_thing.a", "fake_thing.b")},
                                     {"fake_thing.a", "fake_thing.b"}, &previous);
  ASSERT_FALSE(declared.ok());
  EXPECT_NE(declared.error().message.find("still declared"), std::string::npos);
  auto loop = engine::ApplyMoves(StateOf({"fake_thing.a"}),
                                 {Move("fake_thing.a", "fake_thing.b"), Move("fake_thing.b", "fake_thing.a")}, {},
                                 &previous);
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.error().message.find("loop"), std::string::npos);
}

class MovedRemovedPlanTest : public PlanFixture {};

TEST_F(MovedRemovedPlanTest, MovedIsDiffedUnderItsNewAddressAndRemovedIsForgotten) {
  stack.Add("fake_thing.old", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.gone", "fake_thing", "primary", {{"name", S("g")}});
  ASSERT_TRUE(PlanAndApply().ok());
  std::string id = state.Get("fake_thing.old").id;
  stack.Remove("fake_thing.old");
  stack.Remove("fake_thing.gone");
  stack.Add("fake_thing.new", "fake_thing", "primary", {{"name", S("a")}});
  auto req = Request();
  req.moved = {Move("fake_thing.old", "fake_thing.new")};
  req.removed = {engine::RemovedDecl{"fake_thing.gone", {"stack.yaml", 9, 3}}};
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const auto* moved = plan->Find("fake_thing.new");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->action, Action::kNoOp);
  EXPECT_EQ(moved->moved_from, "fake_thing.old");
  EXPECT_EQ(moved->id, id);
  EXPECT_EQ(plan->Find("fake_thing.old"), nullptr);
  const auto* gone = plan->Find("fake_thing.gone");
  EXPECT_EQ(gone->reason, engine::ActionReason::kForgetBecauseRemoved);
  EXPECT_TRUE(plan->HasChanges());
  std::string text = engine::RenderPlan(*plan, {false});
  EXPECT_NE(text.find("# fake_thing.old has moved to fake_thing.new"), std::string::npos) << text;
  EXPECT_NE(text.find("fake_thing.gone will be forgotten"), std::string::npos) << text;
  EXPECT_NE(text.find("0 to destroy, 1 to move, 1 to forget."), std::string::npos) << text;
  auto summary = plan->Summary();
  EXPECT_EQ(summary.destroy, 0);

  auto report = MustApply(*plan, Options());
  EXPECT_EQ(report.forgotten, 1);
  EXPECT_EQ(report.destroyed, 0);
  EXPECT_EQ(provider.CountCalls("delete"), 0);
  EXPECT_FALSE(state.Has("fake_thing.gone"));
}

TEST_F(MovedRemovedPlanTest, ImportReadsWithoutWritingAndPlansTheDiff) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"size", engine::Value::Number(3)}});
  std::string id = provider.Insert(stack.regions["primary"], "", {{"name", "a"}, {"size", 1}});
  auto req = Request();
  req.imports = {engine::ImportDecl{"fake_thing.a", id, {"stack.yaml", 4, 5}}};
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const auto* c = plan->Find("fake_thing.a");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->action, Action::kUpdate);  // size 1 -> 3, no create
  EXPECT_EQ(c->imported_id, id);
  EXPECT_EQ(plan->Summary().import, 1);
  EXPECT_EQ(provider.CountCalls("create"), 0);
  EXPECT_EQ(provider.CountCalls("import"), 0);  // a plan never tags
  std::string text = engine::RenderPlan(*plan, {false});
  EXPECT_NE(text.find("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy."), std::string::npos) << text;
  auto back = engine::PlanFromJson(engine::PlanToJson(*plan));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Find("fake_thing.a")->imported_id, id);

  req.imports = {engine::ImportDecl{"fake_thing.a", "no-such-id", {"stack.yaml", 4, 5}}};
  auto missing = engine::MakePlan(req);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("stack.yaml:4:5: import to fake_thing.a: no fake_thing with id no-such-id"),
            std::string::npos)
      << missing.error().message;
}

TEST_F(MovedRemovedPlanTest, RemovedWhileStillDeclaredIsAnError) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}}).location = "stack.yaml:7:3";
  auto req = Request();
  req.removed = {engine::RemovedDecl{"fake_thing.a", {"stack.yaml", 4, 5}}};
  auto plan = engine::MakePlan(req);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("stack.yaml:4:5: removed fake_thing.a: fake_thing.a is still declared in the "
                                      "stack at stack.yaml:7:3"),
            std::string::npos) << plan.error().message;
}

}  // namespace
}  // namespace infra::test
