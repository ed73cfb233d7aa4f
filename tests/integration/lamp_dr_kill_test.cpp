// kill -9 campaigns on stacks/lamp-dr against moto_server: 20 points of the
// full apply and 10 of the failover apply, each followed by an apply that
// must converge to exactly what a clean run leaves (no twins, no orphans:
// boto3's inventory of everything tagged infra:stack=lamp-dr, by name and
// count) and an empty plan.
//
// Kill points are counted in AWS calls, not seconds: infra talks to moto
// through a proxy that counts forwarded requests, and the test sends
// SIGKILL once the N-th request has been forwarded (its reply may or may not
// have reached infra: the lost-reply case too). N is drawn from a seeded
// generator (kSeed, or INFRA_TEST_KILL_SEED to reproduce another campaign);
// every round logs its N, so a failure names the exact point. Calls make the
// points independent of the machine's speed.
//
// Cost (CI budget, docs/testing.md): a full-apply round resets moto and the
// state instead of destroying (a reset is one call), so it costs one
// partial apply, one apply, one plan and an inventory; a failover round
// re-creates the DR replica first (dr_generation, a handful of calls)
// instead of redeploying. Measured 2026-12-01 on the loaded 2-core machine:
// all lamp_dr tests 6 min 14 s wall, 2 min 26 s user CPU of the test
// process and its children (full-apply campaign 215 s wall, failover 87 s).
// With monitoring and automation (148 resources, 394 calls for the full
// apply), measured the same way, before -> after on the same load: all
// lamp_dr tests 184 s -> 219 s CPU (user + sys, children included), the
// full-apply campaign 309 s -> 368 s wall, the failover campaign 86 s ->
// 101 s wall.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>

#include "lamp_dr_fixture.h"
#include "stack_dir_fixture.h"
#include "support/fault_proxy.h"
#include "support/kill_after_calls.h"

namespace infra::test {
namespace {

constexpr unsigned kSeed = 20261201;

unsigned Seed() {
  const char* s = std::getenv("INFRA_TEST_KILL_SEED");
  return s ? static_cast<unsigned>(std::strtoul(s, nullptr, 10)) : kSeed;
}

class LampDrKillTest : public LampDrTest {
 protected:
  // Runs `infra ARGS` through the proxy and SIGKILLs it once `calls`
  // requests were forwarded (or lets it finish when it makes fewer).
  // Returns the exit status as the shell reports it (137 = killed).
  int RunKilledAfter(const std::string& args, int calls) {
    std::string log = (dir_ / "killed.log").string();
    std::string cmd = "exec env AWS_ENDPOINT_URL=" + ShellQuote(proxy_.endpoint()) + " " + ShellQuote(InfraBinary()) +
                      " -C " + ShellQuote(dir_.string()) + " " + args + " </dev/null >" + ShellQuote(log) + " 2>&1";
    return RunKilledAfterCalls(proxy_, cmd, calls, std::chrono::minutes(3));
  }
  // Requests the last run through the proxy sent.
  int Calls() const { return proxy_.requests(); }

  // The apply after the kill (`args`), then the inventory and a plan with
  // `plan_args` (what the apply covers: the whole stack, or `--region dr`).
  void ExpectConverged(const nlohmann::json& baseline, const std::string& args, const std::string& plan_args) {
    auto recover = Infra("apply --auto-approve --lock-timeout 40s " + args);
    ASSERT_EQ(recover.exit_code, 0) << recover.out << recover.err;
    auto inv = Inventory();
    EXPECT_EQ(inv, baseline) << "after recovery:\n" << Describe(inv) << "\nexpected:\n" << Describe(baseline);
    auto plan = Infra("plan --detailed-exitcode " + plan_args);
    EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  }

  FaultProxy proxy_{moto_.port()};
};

TEST_F(LampDrKillTest, KillNineAtTwentyPointsOfTheFullApplyConverges) {
  RunKilledAfter("apply --auto-approve", 1 << 30);  // a clean run: how many calls, what it leaves
  const int total = Calls();
  ASSERT_GT(total, 100);
  auto baseline = Inventory();
  ASSERT_EQ(Infra("plan --detailed-exitcode").exit_code, 0);

  std::mt19937 rng(Seed());
  std::uniform_int_distribution<int> point(1, total - 1);
  for (int round = 0; round < 20; ++round) {
    int at = point(rng);
    SCOPED_TRACE("seed " + std::to_string(Seed()) + ", round " + std::to_string(round) + ": kill -9 after call " +
                 std::to_string(at) + " of " + std::to_string(total));
    std::printf("[ kill    ] full apply, round %d: after call %d of %d (seed %u)\n", round, at, total, Seed());
    moto_.Reset();
    std::filesystem::remove_all(dir_ / ".infra");
    RunKilledAfter("apply --auto-approve", at);
    ExpectConverged(baseline, "", "");
    if (HasFatalFailure()) return;
  }
}

// The failover as docs/disaster-recovery.md runs it (`--region dr`). Kill
// points are drawn among the calls after the plan's refresh (the apply's
// first calls are the same reads a plan makes): the promotion, the new
// revision, the service, the scalable target, the records and the DR
// functions and schedule armed, with their waits.
TEST_F(LampDrKillTest, KillNineAtTenPointsOfTheFailoverApplyConverges) {
  ASSERT_EQ(Infra("apply --auto-approve").exit_code, 0);
  const std::string failover = "-var dr_active=true";
  RunKilledAfter("plan --region dr " + failover, 1 << 30);
  const int refresh = Calls();
  RunKilledAfter("apply --auto-approve --region dr " + failover, 1 << 30);
  const int total = Calls();
  ASSERT_GT(total, refresh + 5);
  auto baseline = Inventory();
  ASSERT_EQ(Infra("plan --detailed-exitcode --region dr " + failover).exit_code, 0);
  // The rest is the stale primary's automation, disarmed once it answers
  // (docs/disaster-recovery.md): not part of the failover apply.
  EXPECT_EQ(Changes(failover), (std::map<std::string, std::string>{
                                   {"module.automation_primary.aws_lambda_function.health", "update"},
                                   {"module.automation_primary.aws_lambda_function.dr", "update"},
                                   {"module.automation_primary.aws_cloudwatch_event_rule.schedule", "update"},
                               }));

  std::mt19937 rng(Seed());
  std::uniform_int_distribution<int> point(refresh + 1, total - 1);
  for (int round = 0; round < 10; ++round) {
    // Back to standby: the DR replica re-created under the round's
    // identifier (lamp-dr-rN), DR service 0, records back. Then kill the
    // failover.
    std::string generation = "-var dr_generation=r" + std::to_string(round);
    auto standby = Infra("apply --auto-approve " + generation);
    ASSERT_EQ(standby.exit_code, 0) << standby.out << standby.err;
    int at = point(rng);
    SCOPED_TRACE("seed " + std::to_string(Seed()) + ", round " + std::to_string(round) + ": kill -9 after call " +
                 std::to_string(at) + " of " + std::to_string(total));
    std::printf("[ kill    ] failover apply, round %d: after call %d of %d (refresh: %d; seed %u)\n", round, at,
                total, refresh, Seed());
    const std::string vars = failover + " " + generation;
    RunKilledAfter("apply --auto-approve --region dr " + vars, at);
    ExpectConverged(baseline, "--region dr " + vars, "--region dr " + vars);
    if (HasFatalFailure()) return;
  }
}

// What the full-apply campaign found: a kill between CreateKey and the
// journal's outcome left an orphan KMS key (keys have no name and CreateKey
// no token). Recovery now finds the key by its infra tags: a lost CreateKey
// reply is adopted, never sent again.
class LampDrKmsAdoptionTest : public StackDirTest {
 protected:
  FaultProxy proxy_{moto_.port()};
};

TEST_F(LampDrKmsAdoptionTest, KeyWhoseCreateReplyWasLostIsAdoptedNotMadeTwice) {
  WriteStack(R"(stack: kms-lost
regions:
  primary: eu-central-1
resources:
  key: {type: aws_kms_key, description: lost reply, deletion_window_in_days: 7, enable_key_rotation: true}
)");
  proxy_.Script({Fault::CutShort(10, "TrentService.CreateKey")});
  ::setenv("AWS_ENDPOINT_URL", proxy_.endpoint().c_str(), 1);  // infra (a child) talks through the proxy
  auto apply = Infra("apply --auto-approve");
  auto again = apply.exit_code == 0 ? apply : Infra("apply --auto-approve");
  moto_.ExportEnvironment();
  EXPECT_EQ(again.exit_code, 0) << apply.out << apply.err << again.out << again.err;
  EXPECT_EQ(proxy_.pending(), 0u) << "the fault was hit";
  EXPECT_EQ(proxy_.requests("TrentService.CreateKey"), 1);
  auto keys = AwsCli("eu-central-1", "kms list-keys");
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  EXPECT_EQ(keys.json["Keys"].size(), 1u) << keys.out;
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << apply.out << plan.out << plan.err;
}

}  // namespace
}  // namespace infra::test
