// Issue 10 item 16 end to end: a VPC that something infra does not manage
// still uses (a subnet made with the AWS CLI) cannot be deleted; destroy
// gives up at the resource's own delete timeout (`timeouts: {delete: 5s}`,
// not a fixed 10 minutes) and names the dependent it found. Once the subnet
// is gone, destroy finishes.
#include <gtest/gtest.h>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

class DeleteTimeoutTest : public StackDirTest {};

TEST_F(DeleteTimeoutTest, VpcWithAnUnmanagedDependentGivesUpAtItsDeleteTimeoutNamingIt) {
  WriteStack(
      "stack: dependents\nregions: {primary: eu-central-1}\n"
      "resources:\n"
      "  vpc:\n    type: aws_vpc\n    cidr_block: 10.44.0.0/16\n    timeouts: {delete: 5s}\n");
  auto applied = Infra("apply --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  auto vpcs = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=dependents");
  ASSERT_EQ(vpcs.exit_code, 0) << vpcs.err;
  ASSERT_EQ(vpcs.json["Vpcs"].size(), 1u) << vpcs.out;
  std::string vpc = vpcs.json["Vpcs"][0]["VpcId"];
  auto subnet = AwsCli("eu-central-1", "ec2 create-subnet --vpc-id " + vpc + " --cidr-block 10.44.9.0/24");
  ASSERT_EQ(subnet.exit_code, 0) << subnet.err;
  std::string subnet_id = subnet.json["Subnet"]["SubnetId"];

  auto refused = Infra("destroy --auto-approve");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  std::string all = refused.out + refused.err;
  // The type gives up at the same bound the engine does: whichever says
  // it, the bound is the 5 s delete timeout.
  EXPECT_TRUE(all.find("still has dependents after 5 s") != std::string::npos ||
              all.find("timed out after 5s waiting for the delete to finish") != std::string::npos)
      << all;
  EXPECT_NE(all.find("still in use by " + subnet_id + " (subnet)"), std::string::npos) << all;
  EXPECT_EQ(all.find("10 minutes"), std::string::npos) << all;
  auto still = AwsCli("eu-central-1", "ec2 describe-vpcs --vpc-ids " + vpc);
  EXPECT_EQ(still.exit_code, 0) << "the VPC is still there: " << still.err;

  ASSERT_EQ(AwsCli("eu-central-1", "ec2 delete-subnet --subnet-id " + subnet_id).exit_code, 0);
  auto destroyed = Infra("destroy --auto-approve");
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  auto gone = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=dependents");
  ASSERT_EQ(gone.exit_code, 0) << gone.err;
  EXPECT_TRUE(gone.json["Vpcs"].empty()) << gone.out;
}

}  // namespace
}  // namespace infra::test
