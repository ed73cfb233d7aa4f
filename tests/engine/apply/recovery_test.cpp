// Recovery tests: unfinished journal entries left by a crash are adopted or
// confirmed absent before planning, so the next apply makes no twin.
#include "engine/apply/recovery.h"

#include <gtest/gtest.h>

#include "engine/plan/plan_json.h"
#include "engine/plan/plan_render.h"
#include "fakes/crashing_state.h"
#include "engine/plan_fixture.h"

namespace infra::test {
namespace {

class RecoveryTest : public PlanFixture {
 protected:
  engine::PendingIntent Intent(const std::string& op, const std::string& address, nlohmann::json payload = {}) {
    engine::PendingIntent i;
    i.address = address;
    i.type = "fake_thing";
    i.region = "eu-central-1";
    i.operation = op;
    i.token = "tok";
    i.payload = payload.is_null() ? nlohmann::json::object() : payload;
    return i;
  }
  Result<engine::RecoveryReport> Recover() {
    std::unordered_map<std::string, engine::ConfigResource> config;
    for (const auto& r : stack.Resources()) config[r.address] = r;
    snapshot = state.Snapshot();
    return engine::Reconcile(state, provider, "teststack", snapshot, config);
  }
};

TEST_F(RecoveryTest, CreateThatHappenedIsAdoptedAndNotRepeated) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  // The crash came after AWS created it and before state was saved.
  std::string id = provider.Insert("eu-central-1", "fake_thing.a", {{"name", "a"}, {"size", 1}});
  state.AddUnfinished(Intent("create", "fake_thing.a", {{"name", "a"}}));
  auto rep = Recover();
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  EXPECT_EQ(rep->adopted, 1);
  EXPECT_EQ(state.Get("fake_thing.a").id, id);
  EXPECT_EQ(state.Get("fake_thing.a").region_alias, "primary");
  EXPECT_TRUE(state.Unfinished()->empty());
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(provider.CountCalls("create"), 0);
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
}

TEST_F(RecoveryTest, AdoptedCreateKeepsWhatTheCreateSentAndTheApiCannotRead) {
  // lamp-dr's kill campaign: a KMS key adopted without its
  // deletion_window_in_days (never read back) showed as an update.
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  provider.Insert("eu-central-1", "fake_thing.a", {{"name", "a"}});
  state.AddUnfinished(Intent("create", "fake_thing.a", {{"name", "a"}, {"size", 3}}));
  ASSERT_TRUE(Recover().ok());
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("size", 0), 3);
}

TEST_F(RecoveryTest, CreateThatNeverHappenedIsConfirmedAbsent) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  state.AddUnfinished(Intent("create", "fake_thing.a"));
  auto rep = Recover();
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->absent, 1);
  EXPECT_FALSE(state.Has("fake_thing.a"));
  EXPECT_TRUE(state.Unfinished()->empty());
  EXPECT_TRUE(PlanAndApply().ok());
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
}

TEST_F(RecoveryTest, DeleteThatHappenedLeavesState) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  ASSERT_TRUE(PlanAndApply().ok());
  std::string id = state.Get("fake_thing.a").id;
  provider.Remove(id);
  state.AddUnfinished(Intent("delete", "fake_thing.a", {{"id", id}}));
  auto rep = Recover();
  ASSERT_TRUE(rep.ok());
  EXPECT_FALSE(state.Has("fake_thing.a"));
  EXPECT_TRUE(state.Unfinished()->empty());
}

TEST_F(RecoveryTest, UpdateIsReadBack) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  ASSERT_TRUE(PlanAndApply().ok());
  std::string id = state.Get("fake_thing.a").id;
  provider.Mutate(id, "size", 4);
  state.AddUnfinished(Intent("update", "fake_thing.a", {{"id", id}}));
  ASSERT_TRUE(Recover().ok());
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("size", 0), 4);
}

TEST_F(RecoveryTest, UpdateReadBackKeepsWhatTheApiCannotRead) {
  // lamp-dr's failover killed after PromoteReadReplicaDBCluster: the read
  // back had no master_password / source_region / final_snapshot_identifier,
  // and the next plan replaced the promoted cluster.
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  ASSERT_TRUE(PlanAndApply().ok());
  auto recorded = state.Get("fake_thing.a");
  recorded.attributes["final_snapshot_identifier"] = "a-final";  // in state, never in a read
  ASSERT_TRUE(state.PutResource(recorded).ok());
  provider.Mutate(recorded.id, "size", 4);
  state.AddUnfinished(Intent("update", "fake_thing.a", {{"id", recorded.id}}));
  ASSERT_TRUE(Recover().ok());
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("size", 0), 4);
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("final_snapshot_identifier", ""), "a-final");
}

// ---- create_before_destroy: a crash between the halves or before the
// new object is recorded leaves no orphan and no twin ------------------

class CreateBeforeDestroyCrashTest : public RecoveryTest {
 protected:
  // fake_thing.a (create_before_destroy) applied with name "a", then
  // renamed to "a2" (name forces replacement); returns the old id.
  std::string AppliedThenRenamed() {
    auto& a = stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
    a.lifecycle.create_before_destroy = true;
    EXPECT_TRUE(PlanAndApply().ok());
    stack.Set("fake_thing.a", "name", S("a2"));
    return state.Get("fake_thing.a").id;
  }

  // Applies the current plan through a state that "dies" after the write
  // `crash_after` matches (kill -9 right after that durable write).
  void ApplyAndCrashAfter(const std::string& write_prefix) {
    engine::Plan plan = MustPlan();
    ASSERT_EQ(plan.Find("fake_thing.a")->action, engine::Action::kCreateThenDelete);
    CrashingState crashing(state, [&](const std::string& w) { return w.rfind(write_prefix, 0) == 0; });
    auto report = engine::Execute(plan, provider, crashing, Options());
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(crashing.crashed()) << "the crash point '" << write_prefix << "' was never reached";
    EXPECT_FALSE(report->ok());
  }

  // The one object AWS holds for fake_thing.a.
  std::vector<std::string> ObjectIds() {
    std::vector<std::string> ids;
    for (int i = 1; i < 20; ++i) {
      std::string id = "fake_thing-" + std::to_string(i);
      auto got = provider.Find("fake_thing")->Read("eu-central-1", {id});
      if (got.ok() && got->count(id)) ids.push_back(id);
    }
    return ids;
  }
};

TEST_F(CreateBeforeDestroyCrashTest, CrashBetweenTheHalvesKeepsTheOldObjectDeposedAndTheNextApplyDeletesIt) {
  std::string old_id = AppliedThenRenamed();
  ApplyAndCrashAfter("depose fake_thing.a");
  // Both objects exist; state knows both: the new one current, the old deposed.
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 2);
  std::string new_id = state.Get("fake_thing.a").id;
  EXPECT_NE(new_id, old_id);
  ASSERT_EQ(state.Deposed("fake_thing.a").size(), 1u);
  EXPECT_EQ(state.Deposed("fake_thing.a")[0].id, old_id);
  EXPECT_EQ(provider.CountCalls("delete"), 0);

  auto rep = Recover();
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  engine::Plan plan = MustPlan();
  int deposed_deletes = 0;
  for (const auto& c : plan.changes)
    if (c.deposed == old_id) {
      ++deposed_deletes;
      EXPECT_EQ(c.action, engine::Action::kDelete);
      EXPECT_EQ(c.id, old_id);
    } else {
      EXPECT_EQ(c.action, engine::Action::kNoOp) << c.address;
    }
  EXPECT_EQ(deposed_deletes, 1);
  std::string text = engine::RenderPlan(plan, {false});
  EXPECT_NE(text.find("# fake_thing.a (deposed object " + old_id + ") will be destroyed"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan: 0 to add, 0 to change, 1 to destroy."), std::string::npos) << text;

  auto report = MustApply(plan, Options());
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(ObjectIds(), std::vector<std::string>{new_id});
  EXPECT_TRUE(state.Deposed().empty());
  EXPECT_EQ(state.Get("fake_thing.a").id, new_id);
  EXPECT_FALSE(MustPlan().HasChanges());
}

TEST_F(CreateBeforeDestroyCrashTest, CrashBeforeTheNewObjectIsRecordedAdoptsItNotTheOldOne) {
  std::string old_id = AppliedThenRenamed();
  // The create intent is durable, AWS creates the object, then the process
  // dies: state still names the old object only.
  ApplyAndCrashAfter("intent create fake_thing.a");
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 2);
  EXPECT_EQ(state.Get("fake_thing.a").id, old_id);
  EXPECT_TRUE(state.Deposed().empty());
  ASSERT_EQ(state.Unfinished()->size(), 1u);

  // Both objects carry the address tag; the old one is found first by id.
  auto rep = Recover();
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  EXPECT_EQ(rep->adopted, 1);
  std::string new_id = state.Get("fake_thing.a").id;
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("name", ""), "a2");
  ASSERT_EQ(state.Deposed("fake_thing.a").size(), 1u);
  EXPECT_EQ(state.Deposed("fake_thing.a")[0].id, old_id);
  EXPECT_TRUE(state.Unfinished()->empty());

  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(report.destroyed, 1);
  EXPECT_EQ(report.added, 0);
  EXPECT_EQ(ObjectIds(), std::vector<std::string>{new_id});
  EXPECT_TRUE(state.Deposed().empty());
  EXPECT_EQ(provider.CountCalls("create"), 2);  // the first apply's and the interrupted one's; none after
}

TEST_F(CreateBeforeDestroyCrashTest, CrashBeforeTheCreateCallLeavesTheOldObjectCurrent) {
  std::string old_id = AppliedThenRenamed();
  FakeBehaviour refuse;
  refuse.fail_create = true;  // the call never creates anything
  provider.SetBehaviour("fake_thing.a", refuse);
  ApplyAndCrashAfter("intent create fake_thing.a");
  provider.SetBehaviour("fake_thing.a", {});
  auto rep = Recover();
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  EXPECT_EQ(state.Get("fake_thing.a").id, old_id);  // the old object was not taken for the new one
  EXPECT_TRUE(state.Deposed().empty());
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("name", ""), "a2");
  EXPECT_EQ(ObjectIds().size(), 1u);
  EXPECT_TRUE(state.Deposed().empty());
}

TEST_F(CreateBeforeDestroyCrashTest, CrashAfterTheOldObjectsDeleteIsJournaledIsReconciled) {
  std::string old_id = AppliedThenRenamed();
  // The delete intent is durable and the call happens; its result is lost.
  ApplyAndCrashAfter("intent delete fake_thing.a");
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  ASSERT_EQ(state.Deposed("fake_thing.a").size(), 1u);
  auto rep = Recover();
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  EXPECT_TRUE(state.Deposed().empty());
  EXPECT_TRUE(state.Unfinished()->empty());
  EXPECT_FALSE(MustPlan().HasChanges());
  EXPECT_EQ(ObjectIds(), std::vector<std::string>{state.Get("fake_thing.a").id});
}

TEST_F(CreateBeforeDestroyCrashTest, UnfinishedDeleteOfADeposedObjectThatStillExistsIsLeftToThePlan) {
  std::string old_id = AppliedThenRenamed();
  ApplyAndCrashAfter("depose fake_thing.a");
  state.AddUnfinished(Intent("delete", "fake_thing.a", {{"id", old_id}, {"name", "a"}}));
  auto rep = Recover();
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  EXPECT_EQ(provider.CountCalls("delete"), 0);  // recovery deletes nothing on its own
  ASSERT_EQ(state.Deposed("fake_thing.a").size(), 1u);
  EXPECT_TRUE(PlanAndApply().ok());
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_TRUE(state.Deposed().empty());
}

TEST_F(CreateBeforeDestroyCrashTest, ReplacedObjectFromAnOlderJournalBecomesDeposed) {
  // A delete intent for an object state no longer names (journals written
  // before deposed objects were recorded): it is kept, then destroyed.
  std::string old_id = AppliedThenRenamed();
  ASSERT_TRUE(PlanAndApply().ok());
  std::string orphan = provider.Insert("eu-central-1", "fake_thing.a", {{"name", "a-old"}, {"size", 1}});
  state.AddUnfinished(Intent("delete", "fake_thing.a", {{"id", orphan}, {"name", "a-old"}}));
  ASSERT_TRUE(Recover().ok());
  ASSERT_EQ(state.Deposed("fake_thing.a").size(), 1u);
  EXPECT_EQ(state.Deposed("fake_thing.a")[0].id, orphan);
  EXPECT_TRUE(PlanAndApply().ok());
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_EQ(ObjectIds(), std::vector<std::string>{state.Get("fake_thing.a").id});
}

TEST_F(CreateBeforeDestroyCrashTest, DeposedObjectIsDeletedAfterDependentsMovedToTheNewOne) {
  auto& a = stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  a.lifecycle.create_before_destroy = true;
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  ASSERT_TRUE(PlanAndApply().ok());
  std::string old_id = state.Get("fake_thing.a").id;
  stack.Set("fake_thing.a", "name", S("a2"));
  ApplyAndCrashAfter("depose fake_thing.a");
  EXPECT_EQ(state.Get("fake_thing.b").attributes.value("ref", ""), old_id);  // b not moved yet
  ASSERT_TRUE(Recover().ok());
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  std::string new_id = state.Get("fake_thing.a").id;
  EXPECT_EQ(state.Get("fake_thing.b").attributes.value("ref", ""), new_id);
  FakeCall update_b, delete_a;
  for (const auto& c : provider.Calls()) {
    if (c.op == "update" && c.address == "fake_thing.b") update_b = c;
    if (c.op == "delete" && c.address == "fake_thing.a") delete_a = c;
  }
  EXPECT_LE(update_b.end, delete_a.start);
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_TRUE(state.Deposed().empty());
}

TEST_F(CreateBeforeDestroyCrashTest, DestroyAlsoDeletesDeposedObjects) {
  AppliedThenRenamed();
  ApplyAndCrashAfter("depose fake_thing.a");
  ASSERT_TRUE(Recover().ok());
  engine::Plan plan = MustPlan(engine::PlanMode::kDestroy);
  EXPECT_EQ(plan.Summary().destroy, 2);
  auto options = Options();
  options.reverse_regions = true;
  auto report = MustApply(plan, options);
  EXPECT_TRUE(report.ok()) << report.Summary(true);
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 0);
  EXPECT_FALSE(state.Has("fake_thing.a"));
  EXPECT_TRUE(state.Deposed().empty());
}

TEST_F(CreateBeforeDestroyCrashTest, SavedPlanKeepsTheDeposedKey) {
  std::string old_id = AppliedThenRenamed();
  ApplyAndCrashAfter("depose fake_thing.a");
  engine::Plan plan = MustPlan();
  auto back = engine::PlanFromJson(engine::PlanToJson(plan));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  int found = 0;
  for (const auto& c : back->changes)
    if (c.deposed == old_id && c.action == engine::Action::kDelete) ++found;
  EXPECT_EQ(found, 1);
  EXPECT_TRUE(MustApply(*back, Options()).ok());
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_TRUE(state.Deposed().empty());
}

TEST_F(CreateBeforeDestroyCrashTest, FailedDeleteOfTheOldObjectKeepsItDeposed) {
  std::string old_id = AppliedThenRenamed();
  FakeBehaviour refuse;
  refuse.fail_delete = true;
  provider.SetBehaviour("fake_thing.a", refuse);
  auto report = PlanAndApply();
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(state.Deposed("fake_thing.a").size(), 1u);
  EXPECT_EQ(state.Deposed("fake_thing.a")[0].id, old_id);
  provider.SetBehaviour("fake_thing.a", {});
  EXPECT_TRUE(PlanAndApply().ok());
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_TRUE(state.Deposed().empty());
}

TEST_F(CreateBeforeDestroyCrashTest, TargetingAnAddressThatOnlyHasADeposedObjectDeletesIt) {
  std::string old_id = AppliedThenRenamed();
  ApplyAndCrashAfter("depose fake_thing.a");
  ASSERT_TRUE(Recover().ok());
  stack.Remove("fake_thing.a");
  ASSERT_TRUE(state.RemoveResource("fake_thing.a").ok());  // `state rm` of the current one
  auto req = Request();
  req.targets = {"fake_thing.a"};
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->Summary().destroy, 1);
  EXPECT_TRUE(MustApply(*plan, Options()).ok());
  EXPECT_TRUE(state.Deposed().empty());
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);  // the new one, forgotten by state rm
}

}  // namespace
}  // namespace infra::test
