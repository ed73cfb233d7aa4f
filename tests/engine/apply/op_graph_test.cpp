// The operation graph on hand-made plans, without threads or a provider:
// which operations exist, which must finish first, region ranks.
#include "engine/apply/op_graph.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace infra::engine {
namespace {

ResourceChange Change(const std::string& address, Action action, std::vector<std::string> deps = {},
                      const std::string& region = "primary") {
  ResourceChange c;
  c.address = address;
  c.type = "fake_thing";
  c.region_alias = region;
  c.action = action;
  c.depends_on = std::move(deps);
  return c;
}

Plan PlanOf(std::vector<ResourceChange> changes) {
  Plan p;
  p.regions = {"primary", "secondary"};
  p.changes = std::move(changes);
  return p;
}

// The op of `change` with `kind` (and deposed-ness); fails the test if absent.
size_t Find(const OpGraph& g, size_t change, OpKind kind, bool deposed = false) {
  for (size_t i = 0; i < g.ops.size(); ++i)
    if (g.ops[i].change == change && g.ops[i].kind == kind && g.ops[i].deposed == deposed) return i;
  ADD_FAILURE() << "no op for change " << change;
  return 0;
}

bool Before(const OpGraph& g, size_t first, size_t then) {
  const auto& deps = g.ops[then].deps;
  return std::find(deps.begin(), deps.end(), first) != deps.end();
}

TEST(OpGraphTest, NoOpsGetNoNodeAndCreatesFollowWhatTheyReference) {
  OpGraph g = BuildOpGraph(PlanOf({Change("a", Action::kCreate), Change("b", Action::kCreate, {"a"}),
                                   Change("c", Action::kNoOp), Change("d", Action::kUpdate, {"b", "c"})}),
                           false);
  ASSERT_EQ(g.ops.size(), 3u);
  size_t a = Find(g, 0, OpKind::kCreate), b = Find(g, 1, OpKind::kCreate), d = Find(g, 3, OpKind::kUpdate);
  EXPECT_TRUE(Before(g, a, b));
  EXPECT_TRUE(Before(g, b, d));
  EXPECT_TRUE(g.ops[a].deps.empty());
  EXPECT_EQ(g.ops[a].dependents, std::vector<size_t>{b});
}

TEST(OpGraphTest, DeletesRunBeforeTheDeleteOfWhatTheyDependOn) {
  OpGraph g = BuildOpGraph(PlanOf({Change("vpc", Action::kDelete), Change("subnet", Action::kDelete, {"vpc"})}), false);
  size_t vpc = Find(g, 0, OpKind::kDelete), subnet = Find(g, 1, OpKind::kDelete);
  EXPECT_TRUE(Before(g, subnet, vpc));
  EXPECT_FALSE(Before(g, vpc, subnet));
}

TEST(OpGraphTest, DeleteThenCreateIsTwoOpsInThatOrder) {
  OpGraph g = BuildOpGraph(PlanOf({Change("a", Action::kDeleteThenCreate)}), false);
  ASSERT_EQ(g.ops.size(), 2u);
  EXPECT_TRUE(Before(g, Find(g, 0, OpKind::kDelete), Find(g, 0, OpKind::kCreate)));
}

TEST(OpGraphTest, CreateBeforeDestroyDeletesTheOldObjectAfterDependentsMovedOff) {
  OpGraph g = BuildOpGraph(
      PlanOf({Change("sg", Action::kCreateThenDelete), Change("lb", Action::kUpdate, {"sg"})}), false);
  size_t create = Find(g, 0, OpKind::kCreate), old = Find(g, 0, OpKind::kDelete, true);
  size_t lb = Find(g, 1, OpKind::kUpdate);
  EXPECT_TRUE(Before(g, create, old));
  EXPECT_TRUE(Before(g, create, lb));
  EXPECT_TRUE(Before(g, lb, old));  // the dependent moved to the new object first
}

TEST(OpGraphTest, ADeposedObjectFromStateWaitsOnlyForItsDependents) {
  ResourceChange old = Change("sg", Action::kDelete);
  old.deposed = "sg-old";
  OpGraph g = BuildOpGraph(PlanOf({Change("sg", Action::kCreate), old, Change("lb", Action::kUpdate, {"sg"})}), false);
  size_t create = Find(g, 0, OpKind::kCreate), gone = Find(g, 1, OpKind::kDelete, true);
  size_t lb = Find(g, 2, OpKind::kUpdate);
  EXPECT_TRUE(Before(g, lb, gone));
  EXPECT_FALSE(Before(g, create, gone));
}

TEST(OpGraphTest, RanksFollowRolloutOrderAndReverseForDestroy) {
  Plan p = PlanOf({Change("a", Action::kCreate, {}, "primary"), Change("b", Action::kCreate, {}, "secondary")});
  OpGraph forward = BuildOpGraph(p, false);
  EXPECT_EQ(forward.ops[0].rank, 0);
  EXPECT_EQ(forward.ops[1].rank, 1);
  OpGraph reverse = BuildOpGraph(p, true);
  EXPECT_EQ(reverse.ops[0].rank, 1);
  EXPECT_EQ(reverse.ops[1].rank, 0);
}

TEST(OpGraphTest, EarlierRegionDescendantsAreListedSoCrossRegionEdgesCannotDeadlock) {
  // peer (primary) depends on vpc2 (secondary): vpc2 must not wait for all of primary.
  OpGraph g = BuildOpGraph(PlanOf({Change("vpc2", Action::kCreate, {}, "secondary"),
                                   Change("peer", Action::kCreate, {"vpc2"}, "primary"),
                                   Change("route", Action::kCreate, {"peer"}, "primary")}),
                           false);
  size_t vpc2 = Find(g, 0, OpKind::kCreate), peer = Find(g, 1, OpKind::kCreate), route = Find(g, 2, OpKind::kCreate);
  EXPECT_EQ(g.ops[vpc2].earlier_desc, (std::vector<size_t>{peer, route}));
  EXPECT_TRUE(g.ops[peer].earlier_desc.empty());  // rank 0 needs none
}

TEST(OpGraphTest, EarlierOpsWaitingOnAnyLaterRegionOpHoldNoLaterOpBack) {
  // peer waits on vpc2, repl on bucket2 (both secondary): neither secondary
  // op may wait for the other's primary dependent; lone (primary) still
  // holds the secondary region back.
  OpGraph g = BuildOpGraph(PlanOf({Change("vpc2", Action::kCreate, {}, "secondary"),
                                   Change("bucket2", Action::kCreate, {}, "secondary"),
                                   Change("peer", Action::kCreate, {"vpc2"}, "primary"),
                                   Change("repl", Action::kCreate, {"bucket2"}, "primary"),
                                   Change("lone", Action::kCreate, {}, "primary")}),
                           false);
  size_t peer = Find(g, 2, OpKind::kCreate), repl = Find(g, 3, OpKind::kCreate);
  for (size_t later : {Find(g, 0, OpKind::kCreate), Find(g, 1, OpKind::kCreate)})
    EXPECT_EQ(g.ops[later].earlier_desc, (std::vector<size_t>{peer, repl}));
}

TEST(OpGraphTest, VerbsAreTheJournalsOperationNames) {
  EXPECT_STREQ(Verb(OpKind::kCreate), "create");
  EXPECT_STREQ(Verb(OpKind::kUpdate), "update");
  EXPECT_STREQ(Verb(OpKind::kDelete), "delete");
  EXPECT_STREQ(Verb(OpKind::kRead), "read");
}

}  // namespace
}  // namespace infra::engine
