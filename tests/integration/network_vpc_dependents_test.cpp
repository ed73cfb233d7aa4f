// Issue 10 item 16 against moto_server, checked with the AWS CLI: a VPC
// that something infra does not manage still uses cannot be deleted; the
// wait names what uses it, and the delete finishes once that is gone.
#include <gtest/gtest.h>

#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkVpcDependentsTest : public NetworkTest {};

TEST_F(NetworkVpcDependentsTest, DeleteNamesUnmanagedDependents) {
  std::string vpc = MakeVpc();
  ASSERT_FALSE(vpc.empty());
  // A subnet made behind infra's back.
  std::string subnet = Cli("create-subnet --vpc-id " + vpc + " --cidr-block 10.0.7.0/24")["Subnet"]["SubnetId"];
  ASSERT_FALSE(subnet.empty());

  auto ctx = Ctx("aws_vpc.fixture");
  Attributes prior = ReadBack("aws_vpc", vpc);
  auto r = T("aws_vpc").Delete(ctx, prior);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  auto p = T("aws_vpc").Poll(ctx, prior, provider::Phase::kDelete);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  EXPECT_NE(p->detail.find("still in use by " + subnet + " (subnet)"), std::string::npos) << p->detail;

  Cli("delete-subnet --subnet-id " + subnet);
  p = T("aws_vpc").Poll(ctx, prior, provider::Phase::kDelete);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady) << p->detail;
  auto vpcs = AwsCli(kPrimary, "ec2 describe-vpcs --filters Name=vpc-id,Values=" + vpc);
  EXPECT_EQ(vpcs.exit_code, 0) << vpcs.err;
  EXPECT_TRUE(vpcs.json["Vpcs"].empty()) << vpcs.out;
}

}  // namespace
}  // namespace infra::test
