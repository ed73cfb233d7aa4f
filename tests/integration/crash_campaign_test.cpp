// kill -9 campaign on stacks/examples/network-2region (issue 20): SIGKILL
// at N points spread uniformly over an undisturbed apply (and destroy),
// then a recovery run, checked with boto3 by tag: no twins (two objects with
// one infra:address), no orphans (a tagged object whose address is not in
// state), `plan --detailed-exitcode` exits 0, `PRAGMA integrity_check` ok.
//
// Points are counted in AWS calls (as tests/integration/lamp_dr_kill_test.cpp):
// the undisturbed run makes C calls through a counting proxy, and round k
// of N kills after call k*C/(N+1): uniform over the run's duration measured
// in calls, independent of the machine's speed. N = INFRA_CRASH_N (CI: the
// default, 2 for apply and 2 for destroy); INFRA_CRASH_STACK points at
// another stack directory (docs/testing.md has the figures).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "crash_campaign_fixture.h"

namespace infra::test {
namespace {

int CampaignSize() {
  const char* n = std::getenv("INFRA_CRASH_N");
  return n ? std::atoi(n) : 2;
}

using CrashCampaignTest = CampaignTest;

TEST_F(CrashCampaignTest, KillNineSpreadOverApplyAndDestroyLeavesNoTwinsNoOrphans) {
  const int n = CampaignSize();
  ASSERT_GT(n, 0);
  // The undisturbed runs: how many calls each makes.
  ASSERT_EQ(RunKilledAfter("apply --auto-approve", 1 << 30), 0) << Bytes(Path("killed.log"));
  const int apply_calls = proxy_.requests();
  ASSERT_GT(apply_calls, 20);
  const size_t declared = TaggedObjects().size();
  ExpectConsistent(false);
  ASSERT_EQ(RunKilledAfter("destroy --auto-approve", 1 << 30), 0) << Bytes(Path("killed.log"));
  const int destroy_calls = proxy_.requests();
  ExpectConsistent(true);

  for (int k = 1; k <= n; ++k) {
    int at = k * apply_calls / (n + 1);
    SCOPED_TRACE("apply round " + std::to_string(k) + ": kill -9 after call " + std::to_string(at) + " of " +
                 std::to_string(apply_calls));
    std::printf("[ kill    ] apply %d/%d: after call %d of %d\n", k, n, at, apply_calls);
    FreshStart();
    RunKilledAfter("apply --auto-approve", at);
    auto recover = Run("apply --auto-approve --lock-timeout 40s");
    ASSERT_EQ(recover.exit_code, 0) << recover.out << recover.err;
    EXPECT_EQ(TaggedObjects().size(), declared);
    ExpectConsistent(false);
    if (HasFatalFailure()) return;
  }
  for (int k = 1; k <= n; ++k) {
    int at = k * destroy_calls / (n + 1);
    SCOPED_TRACE("destroy round " + std::to_string(k) + ": kill -9 after call " + std::to_string(at) + " of " +
                 std::to_string(destroy_calls));
    std::printf("[ kill    ] destroy %d/%d: after call %d of %d\n", k, n, at, destroy_calls);
    FreshStart();
    auto apply = Run("apply --auto-approve");
    ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
    RunKilledAfter("destroy --auto-approve", at);
    auto recover = Run("destroy --auto-approve --lock-timeout 40s");
    ASSERT_EQ(recover.exit_code, 0) << recover.out << recover.err;
    ExpectConsistent(true);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace infra::test
