// Recovery tests: unfinished journal entries left by a crash are adopted or
// confirmed absent before planning, so the next apply makes no twin.
#include "engine/recovery.h"

#include <gtest/gtest.h>

#include "plan_fixture.h"

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

}  // namespace
}  // namespace infra::test
