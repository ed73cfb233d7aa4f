// End to end: a create_before_destroy replacement of an aws_vpc killed by a
// real SIGKILL (INFRA_TEST_CRASH_AT) between its two halves, and between
// the create call and its record; the next plan shows the old object as
// deposed, apply deletes it, and the AWS CLI (by the infra:stack tag) sees
// exactly the declared VPC after each recovery and nothing after destroy.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {

constexpr const char* kStack = R"(stack: cbd-crash
regions:
  primary: eu-central-1
variables:
  cidr: {type: string, default: 10.0.0.0/16}
resources:
  main:
    type: aws_vpc
    cidr_block: ${var.cidr}
    lifecycle: {create_before_destroy: true}
)";

class CreateBeforeDestroyTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    std::ofstream(dir_.File("stack.yaml")) << kStack;
  }

  // `infra ARGS` with the stack's state in the temp folder; `crash_at`
  // sets INFRA_TEST_CRASH_AT for this run only.
  CommandResult Infra(const std::string& args, const std::string& crash_at = "") {
    std::string env = crash_at.empty() ? "" : "INFRA_TEST_CRASH_AT=" + ShellQuote(crash_at) + " ";
    return RunCommand(env + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) + " " + args +
                      " --state " + ShellQuote(dir_.File("state.db")) + " --lock-timeout 20s </dev/null");
  }
  CommandResult Apply(const std::string& cidr, const std::string& crash_at = "") {
    return Infra("apply --auto-approve -var cidr=" + cidr, crash_at);
  }

  // The CIDR blocks of the VPCs tagged with the stack, as the AWS CLI sees them.
  std::multiset<std::string> StackVpcs() {
    auto r = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=cbd-crash");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::multiset<std::string> out;
    if (r.json.is_object())
      for (const auto& v : r.json.value("Vpcs", nlohmann::json::array())) out.insert(v.value("CidrBlock", ""));
    return out;
  }

  MotoServer& moto_ = MotoServer::Shared();
  TempDir dir_{"infra-cbd"};
};

TEST_F(CreateBeforeDestroyTest, KillBetweenTheHalvesOrBeforeTheRecordLeavesNoOrphan) {
  auto first = Apply("10.0.0.0/16");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  // 1. Killed after the new VPC is recorded (old one deposed), before the
  // old one's delete.
  auto killed = Apply("10.1.0.0/16", "cbd-between-halves");
  ASSERT_EQ(killed.exit_code, 137) << killed.out << killed.err;
  EXPECT_NE(killed.err.find("killing this process at cbd-between-halves"), std::string::npos) << killed.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.0.0.0/16", "10.1.0.0/16"}));
  auto plan = Infra("plan --detailed-exitcode -var cidr=10.1.0.0/16");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("# aws_vpc.main (deposed object vpc-"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 0 to change, 1 to destroy."), std::string::npos) << plan.out;
  auto recovered = Apply("10.1.0.0/16");
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.1.0.0/16"}));

  // 2. Killed after AWS created the new VPC, before it was recorded: both
  // VPCs carry the address tag; the old one must not be adopted as the new.
  killed = Apply("10.2.0.0/16", "cbd-created");
  ASSERT_EQ(killed.exit_code, 137) << killed.out << killed.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.1.0.0/16", "10.2.0.0/16"}));
  recovered = Apply("10.2.0.0/16");
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_NE(recovered.err.find("kept the replaced object vpc-"), std::string::npos) << recovered.err;
  EXPECT_NE(recovered.out.find("0 added, 0 changed, 1 destroyed"), std::string::npos) << recovered.out;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.2.0.0/16"}));
  auto clean = Infra("plan --detailed-exitcode -var cidr=10.2.0.0/16");
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  // 3. Killed between the halves once more; destroy removes the deposed VPC too.
  killed = Apply("10.3.0.0/16", "cbd-between-halves");
  ASSERT_EQ(killed.exit_code, 137) << killed.out << killed.err;
  auto destroy = Infra("destroy --auto-approve -var cidr=10.3.0.0/16");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_NE(destroy.out.find("2 destroyed"), std::string::npos) << destroy.out;
  EXPECT_TRUE(StackVpcs().empty());
}

}  // namespace
}  // namespace infra::test
