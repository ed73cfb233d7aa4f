// End to end: the `infra` binary against a real moto_server, checked with
// the AWS CLI by the infra:stack tag. Apply, idempotence (plan
// --detailed-exitcode 0 after apply, for every stack in stacks/examples),
// saved plans, drift, destroy leaving nothing, kill -9 at 20 random points
// with recovery, and SIGINT mid-apply.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>

#include <unistd.h>

#include "support/moto_server.h"
#include "test_paths.h"

namespace infra::test {
namespace {
namespace fs = std::filesystem;

std::string StackName(const std::string& dir) {
  std::ifstream f(dir + "/stack.yaml");
  std::string line;
  std::regex re(R"(^stack:\s*([A-Za-z0-9_.-]+))");
  std::smatch m;
  while (std::getline(f, line))
    if (std::regex_search(line, m, re)) return m[1];
  return "";
}

// What exists in AWS for `stack`, per region and kind, as boto3 sees it
// (one python process per inventory). Tag filters where moto honours them;
// NAT gateways are filtered here (moto ignores their tag filter).
std::map<std::string, int> Inventory(const std::string& stack) {
  std::string code = R"PY(
stack = STACK
out = {}
f = [{"Name": "tag:infra:stack", "Values": [stack]}]
def tagged(tags):
    return any(t.get("Key") == "infra:stack" and t.get("Value") == stack for t in tags or [])
for region in ["eu-central-1", "eu-west-1"]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    def put(kind, n):
        if n: out[region + "/" + kind] = n
    put("vpc", len(ec2.describe_vpcs(Filters=f)["Vpcs"]))
    put("subnet", len(ec2.describe_subnets(Filters=f)["Subnets"]))
    put("igw", len(ec2.describe_internet_gateways(Filters=f)["InternetGateways"]))
    put("eip", len(ec2.describe_addresses(Filters=f)["Addresses"]))
    put("sg", len(ec2.describe_security_groups(Filters=f)["SecurityGroups"]))
    put("sg_rule", len(ec2.describe_security_group_rules(Filters=f)["SecurityGroupRules"]))
    rts = ec2.describe_route_tables(Filters=f)["RouteTables"]
    put("route_table", len(rts))
    put("route", sum(1 for t in rts for r in t.get("Routes", []) if r.get("GatewayId") != "local"))
    put("route_assoc", sum(1 for t in rts for a in t.get("Associations", []) if not a.get("Main")))
    put("nat", sum(1 for g in ec2.describe_nat_gateways()["NatGateways"]
                   if tagged(g.get("Tags")) and g.get("State") not in ("deleted", "deleting")))
    put("peering", sum(1 for c in ec2.describe_vpc_peering_connections(Filters=f)["VpcPeeringConnections"]
                       if c.get("Status", {}).get("Code") not in ("deleted", "rejected", "failed")))
print(json.dumps(out))
)PY";
  auto r = Boto3("STACK = " + nlohmann::json(stack).dump() + "\n" + code);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int> out;
  if (r.json.is_object())
    for (auto it = r.json.begin(); it != r.json.end(); ++it) out[it.key()] = it.value().get<int>();
  return out;
}

std::string Describe(const std::map<std::string, int>& inv) {
  std::string s;
  for (const auto& [k, v] : inv) s += k + "=" + std::to_string(v) + " ";
  return s;
}

class ApplyTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    work_ = fs::temp_directory_path() / ("infra-apply-" + std::to_string(::getpid()) + "-" +
                                         testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(work_);
    fs::create_directories(work_);
    UseStack(SourceDir() + "/stacks/examples/network-2region");
  }
  void TearDown() override { fs::remove_all(work_); }

  void UseStack(const std::string& dir) {
    dir_ = dir;
    stack_ = StackName(dir);
    state_ = (work_ / (stack_ + ".db")).string();
  }

  CommandResult Infra(const std::string& args, const std::string& prefix = "") {
    std::string cmd = prefix + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_) + " " + args + " </dev/null";
    return RunCommand(cmd);
  }
  std::string StateFlag() const { return " --state " + ShellQuote(state_) + " "; }

  CommandResult Apply(const std::string& extra = "") { return Infra("apply --auto-approve" + StateFlag() + extra); }
  CommandResult Destroy() { return Infra("destroy --auto-approve" + StateFlag()); }
  CommandResult Plan(const std::string& extra = "") {
    return Infra("plan --detailed-exitcode" + StateFlag() + extra);
  }

  MotoServer& moto_ = MotoServer::Shared();
  fs::path work_;
  std::string dir_, stack_, state_;
};

TEST_F(ApplyTest, ApplyPlanEmptyDestroyLeavesNothing) {
  ASSERT_FALSE(stack_.empty());
  auto apply = Apply();
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("Apply complete!"), std::string::npos) << apply.out;
  auto inv = Inventory(stack_);
  EXPECT_EQ(inv["eu-central-1/vpc"], 1) << Describe(inv);
  EXPECT_EQ(inv["eu-west-1/vpc"], 1) << Describe(inv);
  EXPECT_GE(inv["eu-central-1/subnet"], 2) << Describe(inv);
  EXPECT_GE(inv["eu-west-1/subnet"], 2) << Describe(inv);
  EXPECT_GE(inv["eu-central-1/sg"], 3) << Describe(inv);
  EXPECT_GE(inv["eu-central-1/nat"], 1) << Describe(inv);

  auto plan = Plan();
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  auto list = Infra("state list" + StateFlag());
  EXPECT_EQ(list.exit_code, 0) << list.err;

  auto destroy = Destroy();
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_NE(destroy.out.find("Destroy complete!"), std::string::npos);
  auto after = Inventory(stack_);
  EXPECT_TRUE(after.empty()) << "left behind: " << Describe(after);
}

TEST_F(ApplyTest, EveryExampleStackPlansEmptyAfterApply) {
  // The examples' required inputs, as a user would give them.
  ::setenv("INFRA_VAR_db_password", "example-password-1", 1);
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/stacks/examples")) {
    if (!fs::exists(entry.path() / "stack.yaml")) continue;
    SCOPED_TRACE(entry.path().string());
    moto_.Reset();
    UseStack(entry.path().string());
    auto apply = Apply();
    ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
    auto plan = Plan();
    EXPECT_EQ(plan.exit_code, 0) << "plan after apply is not empty:\n" << plan.out << plan.err;
    // Nothing infra itself did may read back as drift (e.g. a peering's
    // auto_accept once the accepter has accepted it).
    EXPECT_EQ(plan.out.find("changed outside"), std::string::npos) << plan.out;
    auto destroy = Destroy();
    EXPECT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  }
}

TEST_F(ApplyTest, SavedPlanAppliesAndIsRefusedOnceStateMoved) {
  std::string file = (work_ / "plan.json").string();
  auto plan = Infra("plan" + StateFlag() + "--out " + ShellQuote(file));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  ASSERT_TRUE(fs::exists(file));
  EXPECT_NE(plan.out.find("+ peering_id"), std::string::npos) << "output changes in the plan:\n" << plan.out;
  auto apply = Infra("apply" + StateFlag() + ShellQuote(file));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(Inventory(stack_)["eu-west-1/vpc"], 1);
  // History records the digest of exactly that file (sha256sum's view).
  auto sum = RunCommand("sha256sum " + ShellQuote(file));
  ASSERT_EQ(sum.exit_code, 0) << sum.err;
  auto history = Infra("state history --json" + StateFlag());
  ASSERT_EQ(history.exit_code, 0) << history.err;
  auto rows = nlohmann::json::parse(history.out);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0]["plan_digest"], "sha256:" + sum.out.substr(0, 64)) << history.out;
  auto again = Infra("apply" + StateFlag() + ShellQuote(file));
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("state changed since this plan was made"), std::string::npos) << again.err;
  EXPECT_EQ(Plan().exit_code, 0);

  // Outputs only: state lost one output (as after an older infra); the plan
  // shows it alone as a change (exit 2) and apply writes it back, equal to
  // the peering AWS has.
  auto pcx = AwsCli("eu-central-1", "ec2 describe-vpc-peering-connections --filters Name=tag:infra:stack,Values=" +
                                        stack_ + " --query VpcPeeringConnections[0].VpcPeeringConnectionId");
  ASSERT_TRUE(pcx.json.is_string()) << pcx.out << pcx.err;
  std::string sql = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
                    "c.execute(\"DELETE FROM outputs WHERE name = 'peering_id'\")\nc.commit()\n";
  auto drop = RunCommand("python3 -c " + ShellQuote(sql) + " " + ShellQuote(state_));
  ASSERT_EQ(drop.exit_code, 0) << drop.err;
  auto outputs_only = Plan();
  EXPECT_EQ(outputs_only.exit_code, 2) << outputs_only.out << outputs_only.err;
  EXPECT_NE(outputs_only.out.find("Changes to Outputs:\n  + peering_id = \"" + pcx.json.get<std::string>() + "\""),
            std::string::npos)
      << outputs_only.out;
  EXPECT_EQ(outputs_only.out.find("will perform the following actions"), std::string::npos) << outputs_only.out;
  ASSERT_EQ(Apply().exit_code, 0);
  auto output = Infra("output peering_id" + StateFlag());
  EXPECT_EQ(output.exit_code, 0) << output.err;
  EXPECT_EQ(output.out, pcx.json.get<std::string>() + "\n");
  EXPECT_EQ(Plan().exit_code, 0);
}

TEST_F(ApplyTest, NonInteractiveApplyWithoutAutoApproveRefuses) {
  auto r = Infra("apply" + StateFlag(), "");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--auto-approve"), std::string::npos) << r.err;
  EXPECT_TRUE(Inventory(stack_).empty());
}

TEST_F(ApplyTest, DriftIsShownAndRepaired) {
  ASSERT_EQ(Apply().exit_code, 0);
  // Delete one route outside infra: the plan shows it and re-creates it.
  auto rts = AwsCli("eu-central-1", "ec2 describe-route-tables --filters Name=tag:infra:stack,Values=" + stack_);
  std::string rt, cidr;
  for (const auto& t : rts.json["RouteTables"])
    for (const auto& r : t["Routes"])
      if (r.value("GatewayId", "") != "local" && r.contains("DestinationCidrBlock") && rt.empty()) {
        rt = t["RouteTableId"];
        cidr = r["DestinationCidrBlock"];
      }
  ASSERT_FALSE(rt.empty());
  ASSERT_EQ(AwsCli("eu-central-1", "ec2 delete-route --route-table-id " + rt + " --destination-cidr-block " + cidr)
                .exit_code,
            0);
  auto plan = Plan();
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("has been deleted"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("1 to add"), std::string::npos) << plan.out;
  ASSERT_EQ(Apply().exit_code, 0);
  EXPECT_EQ(Plan().exit_code, 0);
  EXPECT_EQ(Destroy().exit_code, 0);
}

// kill -9 at 20 random moments of an apply, then apply again: exactly the
// declared resources exist (same inventory as a clean apply), no twins, no
// orphans; then destroy and check nothing is left for the next round.
TEST_F(ApplyTest, KillNineAtRandomPointsConvergesWithoutTwinsOrOrphans) {
  auto t0 = std::chrono::steady_clock::now();
  auto clean = Apply();
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  double full = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto baseline = Inventory(stack_);
  ASSERT_EQ(Destroy().exit_code, 0);
  ASSERT_TRUE(Inventory(stack_).empty());

  std::mt19937 rng(20261121);
  std::uniform_real_distribution<double> when(0.05, std::max(0.2, full));
  for (int round = 0; round < 20; ++round) {
    double at = when(rng);
    SCOPED_TRACE("round " + std::to_string(round) + ", kill -9 after " + std::to_string(at) + "s");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", at);
    auto killed = Infra("apply --auto-approve" + StateFlag(), std::string("timeout -s KILL ") + buf + " ");
    // The killed process may linger a moment before it is reaped; the lock
    // is taken over once its pid is gone.
    RunCommand("sleep 1");
    auto recover = Apply("--lock-timeout 40s");
    ASSERT_EQ(recover.exit_code, 0) << "killed run exit " << killed.exit_code << "\n" << recover.out << recover.err;
    auto inv = Inventory(stack_);
    EXPECT_EQ(inv, baseline) << "after recovery: " << Describe(inv) << "\nexpected: " << Describe(baseline);
    EXPECT_EQ(Plan().exit_code, 0);
    auto destroy = Destroy();
    ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
    auto left = Inventory(stack_);
    ASSERT_TRUE(left.empty()) << "left behind: " << Describe(left);
  }
}

TEST_F(ApplyTest, SigintMidApplyExitsPromptlySavesStateAndReleasesTheLock) {
  auto t0 = std::chrono::steady_clock::now();
  auto clean = Apply();
  ASSERT_EQ(clean.exit_code, 0);
  double full = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto baseline = Inventory(stack_);
  ASSERT_EQ(Destroy().exit_code, 0);

  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::max(0.1, full / 3));
  auto start = std::chrono::steady_clock::now();
  // timeout sends SIGINT, then SIGKILL 5 s later if infra is still running.
  auto run = Infra("apply --auto-approve" + StateFlag(), std::string("timeout -s INT -k 5 ") + buf + " ");
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(run.exit_code, 137) << "not finished 5 s after SIGINT";
  EXPECT_LT(took, std::max(0.1, full / 3) + 5.0);
  if (run.exit_code != 0) {
    EXPECT_NE(run.err.find("Interrupt"), std::string::npos) << run.err;
  }
  // The lock is free at once, and the state is consistent: apply converges.
  auto plan = Infra("plan --lock-timeout 0s" + StateFlag());
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  ASSERT_EQ(Apply().exit_code, 0);
  EXPECT_EQ(Inventory(stack_), baseline);
  EXPECT_EQ(Destroy().exit_code, 0);
}

}  // namespace
}  // namespace infra::test
