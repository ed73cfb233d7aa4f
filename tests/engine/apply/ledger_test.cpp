// The ledger against an in-memory state: intent before effect, outcome
// after, a refused call resolved at once, a create_before_destroy's old
// object deposed with the new one, prior attributes from the right record.
#include "engine/apply/ledger.h"

#include <gtest/gtest.h>

#include "fakes/memory_state.h"

namespace infra::engine {
namespace {
using test::MemoryState;

ResourceChange Change(const std::string& address, Action action, const std::string& id = "") {
  ResourceChange c;
  c.address = address;
  c.type = "fake_thing";
  c.region = "eu-central-1";
  c.region_alias = "primary";
  c.action = action;
  c.id = id;
  return c;
}

TEST(LedgerTest, IntentThenOutcomeThenSaveResolvingIt) {
  MemoryState state;
  Ledger ledger(state, nullptr);
  ResourceChange c = Change("fake_thing.a", Action::kCreate);
  auto intent = ledger.Intend(c, OpKind::kCreate, "tok", {{"name", "a"}});
  ASSERT_TRUE(intent.ok());
  ledger.Outcome(*intent, nullptr);
  ASSERT_TRUE(state.Unfinished()->size() == 1u);  // succeeded, not yet saved: still open
  ASSERT_TRUE(ledger.Save(c, OpKind::kCreate, {{"id", "t-1"}, {"name", "a"}}, {"secret"}, false, *intent).ok());
  EXPECT_EQ(state.Log(), (std::vector<std::string>{"intent create fake_thing.a", "outcome fake_thing.a ok",
                                                   "put fake_thing.a"}));
  EXPECT_TRUE(state.Unfinished()->empty());
  EXPECT_EQ(state.Get("fake_thing.a").id, "t-1");
  EXPECT_EQ(state.Get("fake_thing.a").sensitive_attributes, std::vector<std::string>{"secret"});
}

TEST(LedgerTest, ARefusedCallIsResolvedAtOnce) {
  MemoryState state;
  Ledger ledger(state, nullptr);
  auto intent = ledger.Intend(Change("fake_thing.a", Action::kCreate), OpKind::kCreate, "tok", {});
  ASSERT_TRUE(intent.ok());
  Error refused = MakeError(Error::Kind::kInvalid, "InvalidParameterValue", "no");
  ledger.Outcome(*intent, &refused);
  EXPECT_TRUE(state.Unfinished()->empty());
  EXPECT_EQ(state.Log().back(), "resolve fake_thing.a failed: InvalidParameterValue");
}

TEST(LedgerTest, NotStartedClosesTheEntry) {
  MemoryState state;
  Ledger ledger(state, nullptr);
  auto intent = ledger.Intend(Change("fake_thing.a", Action::kCreate), OpKind::kCreate, "tok", {});
  ledger.NotStarted(*intent, true);
  EXPECT_TRUE(state.Unfinished()->empty());
  EXPECT_EQ(state.Log().back(), "resolve fake_thing.a not started");
}

TEST(LedgerTest, FirstSaveOfACreateBeforeDestroyKeepsTheOldObjectDeposed) {
  MemoryState state;
  StateResource old;
  old.address = "fake_thing.sg";
  old.type = "fake_thing";
  old.id = "sg-old";
  old.attributes = {{"id", "sg-old"}, {"name", "x"}};
  ASSERT_TRUE(state.PutResource(old).ok());
  StateSnapshot snap = state.Snapshot();
  Ledger ledger(state, &snap);
  ResourceChange c = Change("fake_thing.sg", Action::kCreateThenDelete, "sg-old");
  ASSERT_TRUE(ledger.Save(c, OpKind::kCreate, {{"id", "sg-new"}, {"name", "y"}}, {}, true).ok());
  EXPECT_EQ(state.Get("fake_thing.sg").id, "sg-new");
  auto deposed = state.Deposed("fake_thing.sg");
  ASSERT_EQ(deposed.size(), 1u);
  EXPECT_EQ(deposed[0].id, "sg-old");
  EXPECT_EQ(deposed[0].attributes.value("name", ""), "x");  // the recorded object, not a reconstruction
  // Deleting the old object removes the deposed record only.
  ASSERT_TRUE(ledger.Forget(c, true).ok());
  EXPECT_TRUE(state.Deposed("fake_thing.sg").empty());
  EXPECT_TRUE(state.Has("fake_thing.sg"));
}

TEST(LedgerTest, PriorComesFromStateForTheObjectAndFromThePlanOtherwise) {
  MemoryState state;
  StateResource r;
  r.address = "fake_thing.a";
  r.id = "t-1";
  r.attributes = {{"id", "t-1"}, {"name", "recorded"}};
  ASSERT_TRUE(state.PutResource(r).ok());
  StateSnapshot snap = state.Snapshot();
  Ledger ledger(state, &snap);
  ResourceChange c = Change("fake_thing.a", Action::kUpdate, "t-1");
  c.before = {{"name", Value::String("planned")}};
  EXPECT_EQ(ledger.Prior(c, false).value("name", ""), "recorded");
  EXPECT_EQ(ledger.Prior(c, true).value("name", ""), "planned");  // the old object of a replacement
  ResourceChange unknown = Change("fake_thing.b", Action::kUpdate);
  unknown.before = {{"name", Value::String("b")}};
  EXPECT_EQ(ledger.Prior(unknown, false).value("name", ""), "b");
  EXPECT_EQ(ledger.Recorded("fake_thing.b"), nullptr);
}

}  // namespace
}  // namespace infra::engine
