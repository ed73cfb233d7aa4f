// The apply report: operations folded into one outcome per change, the
// counts, and the summary text.
#include "engine/apply/report.h"

#include <gtest/gtest.h>

namespace infra::engine {
namespace {

Plan PlanOf(std::vector<std::pair<std::string, Action>> changes) {
  Plan p;
  for (auto& [a, act] : changes) {
    ResourceChange c;
    c.address = a;
    c.action = act;
    p.changes.push_back(c);
  }
  return p;
}

TEST(ReportTest, CountsSucceededChangesByAction) {
  Plan p = PlanOf({{"a", Action::kCreate}, {"b", Action::kUpdate}, {"c", Action::kDelete}, {"d", Action::kRead}});
  std::vector<OperationResult> ops;
  for (size_t i = 0; i < 4; ++i) ops.push_back({i, OutcomeStatus::kSucceeded, "", std::chrono::seconds(1)});
  ApplyReport r = MakeReport(p, ops, false, 3, {});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.changed, 2);
  EXPECT_EQ(r.destroyed, 1);
  EXPECT_EQ(r.max_in_flight, 3);
  EXPECT_EQ(r.Summary(false), "Apply complete! Resources: 1 added, 2 changed, 1 destroyed.\n");
}

TEST(ReportTest, AReplacementFailsIfEitherHalfDidAndSumsItsTime) {
  Plan p = PlanOf({{"sg", Action::kCreateThenDelete}});
  std::vector<OperationResult> ops = {{0, OutcomeStatus::kSucceeded, "", std::chrono::seconds(2)},
                                      {0, OutcomeStatus::kFailed, "DependencyViolation", std::chrono::seconds(3)}};
  ApplyReport r = MakeReport(p, ops, false, 1, {});
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].status, OutcomeStatus::kFailed);
  EXPECT_EQ(r.outcomes[0].message, "DependencyViolation");
  EXPECT_EQ(r.outcomes[0].elapsed, std::chrono::seconds(5));
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.added, 0);
  EXPECT_FALSE(r.ok());
}

TEST(ReportTest, SummaryListsWhatDidNotSucceedAndSaysInterrupted) {
  Plan p = PlanOf({{"a", Action::kCreate}, {"b", Action::kCreate}, {"c", Action::kCreate}});
  p.changes[2].deposed = "old-1";
  std::vector<OperationResult> ops = {{0, OutcomeStatus::kSucceeded, "", {}},
                                      {1, OutcomeStatus::kNotStarted, "not started (interrupted)", {}},
                                      {2, OutcomeStatus::kAbandoned, "stopped waiting", {}}};
  ApplyReport r = MakeReport(p, ops, true, 1, {});
  EXPECT_EQ(r.not_started, 2);
  std::string text = r.Summary(false);
  EXPECT_NE(text.find("Apply interrupted: 1 succeeded, 0 failed, 0 skipped, 2 not started."), std::string::npos)
      << text;
  EXPECT_NE(text.find("  not started b: not started (interrupted)"), std::string::npos) << text;
  EXPECT_NE(text.find("  abandoned c (deposed object old-1): stopped waiting"), std::string::npos) << text;
}

TEST(ReportTest, DestroySummary) {
  Plan p = PlanOf({{"a", Action::kDelete}});
  ApplyReport r = MakeReport(p, {{0, OutcomeStatus::kSucceeded, "", {}}}, false, 1, {});
  EXPECT_EQ(r.Summary(true), "Destroy complete! Resources: 1 destroyed.\n");
}

}  // namespace
}  // namespace infra::engine
