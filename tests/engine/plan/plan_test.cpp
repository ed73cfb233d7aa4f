// The change model: action names and symbols, summaries.
#include "engine/plan/plan.h"

#include <gtest/gtest.h>

namespace infra::engine {
namespace {

TEST(PlanTest, ActionNamesRoundTrip) {
  for (Action a : {Action::kNoOp, Action::kCreate, Action::kRead, Action::kUpdate, Action::kDeleteThenCreate,
                   Action::kCreateThenDelete, Action::kDelete})
    EXPECT_EQ(ActionFromNames(ActionNames(a)), a);
  EXPECT_EQ(ActionNames(Action::kDeleteThenCreate), (std::vector<std::string>{"delete", "create"}));
  EXPECT_EQ(ActionSymbol(Action::kCreateThenDelete), "+/-");
  EXPECT_EQ(ReasonFromName(ReasonName(ActionReason::kReplaceByRequest)), ActionReason::kReplaceByRequest);
}

TEST(PlanTest, SummaryCountsBothHalvesOfAReplacement) {
  Plan p;
  for (Action a : {Action::kCreate, Action::kUpdate, Action::kDeleteThenCreate, Action::kDelete, Action::kNoOp}) {
    ResourceChange c;
    c.action = a;
    p.changes.push_back(c);
  }
  auto s = p.Summary();
  EXPECT_EQ(s.add, 2);
  EXPECT_EQ(s.change, 1);
  EXPECT_EQ(s.destroy, 2);
  EXPECT_TRUE(p.HasChanges());
  Plan empty;
  empty.changes.resize(3);
  EXPECT_FALSE(empty.HasChanges());
}

}  // namespace
}  // namespace infra::engine
