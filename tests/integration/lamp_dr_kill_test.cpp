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
// instead of redeploying.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "lamp_dr_fixture.h"
#include "support/fault_proxy.h"

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
  int ApplyKilledAfter(const std::string& args, int calls) {
    proxy_.Clear();
    std::string log = (dir_ / "killed.log").string();
    std::string cmd = "exec env AWS_ENDPOINT_URL=" + ShellQuote(proxy_.endpoint()) + " " + ShellQuote(InfraBinary()) +
                      " -C " + ShellQuote(dir_.string()) + " " + args + " </dev/null >" + ShellQuote(log) + " 2>&1";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    EXPECT_GT(pid, 0);
    bool reached = proxy_.WaitForwarded("", calls, std::chrono::seconds(120));
    if (reached) ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Requests the last run through the proxy sent.
  int Calls() const { return proxy_.requests(); }

  void ExpectConverged(const nlohmann::json& baseline, const std::string& vars) {
    auto recover = Infra("apply --auto-approve --lock-timeout 40s " + vars);
    ASSERT_EQ(recover.exit_code, 0) << recover.out << recover.err;
    auto inv = Inventory();
    EXPECT_EQ(inv, baseline) << "after recovery:\n" << Describe(inv) << "\nexpected:\n" << Describe(baseline);
    auto plan = Infra("plan --detailed-exitcode " + vars);
    EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  }

  FaultProxy proxy_{moto_.port()};
};

TEST_F(LampDrKillTest, KillNineAtTwentyPointsOfTheFullApplyConverges) {
  ApplyKilledAfter("apply --auto-approve", 1 << 30);  // a clean run: how many calls, what it leaves
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
    ApplyKilledAfter("apply --auto-approve", at);
    ExpectConverged(baseline, "");
    if (HasFatalFailure()) return;
  }
}

TEST_F(LampDrKillTest, KillNineAtTenPointsOfTheFailoverApplyConverges) {
  ASSERT_EQ(Infra("apply --auto-approve").exit_code, 0);
  const std::string failover = "-var dr_active=true";
  ApplyKilledAfter("apply --auto-approve " + failover, 1 << 30);
  const int total = Calls();
  ASSERT_GT(total, 5);
  auto baseline = Inventory();
  ASSERT_EQ(Infra("plan --detailed-exitcode " + failover).exit_code, 0);

  std::mt19937 rng(Seed());
  std::uniform_int_distribution<int> point(1, total - 1);
  for (int round = 0; round < 10; ++round) {
    // Back to standby: the DR replica re-created under the round's
    // identifier (lamp-dr-rN), DR service 0, records back. Then kill the
    // failover.
    std::string suffix = "-var dr_generation=r" + std::to_string(round);
    auto standby = Infra("apply --auto-approve " + suffix);
    ASSERT_EQ(standby.exit_code, 0) << standby.out << standby.err;
    int at = point(rng);
    SCOPED_TRACE("seed " + std::to_string(Seed()) + ", round " + std::to_string(round) + ": kill -9 after call " +
                 std::to_string(at) + " of " + std::to_string(total));
    std::printf("[ kill    ] failover apply, round %d: after call %d of %d (seed %u)\n", round, at, total, Seed());
    ApplyKilledAfter("apply --auto-approve " + failover + " " + suffix, at);
    ExpectConverged(baseline, failover + " " + suffix);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace infra::test
