// The moto_server fixture itself: it starts, answers the AWS CLI and boto3,
// keeps regions apart, and Reset forgets everything.
#include "support/moto_server.h"

#include <gtest/gtest.h>

namespace infra::test {
namespace {

TEST(MotoServerTest, CliAndBoto3SeeTheSameServerPerRegion) {
  MotoServer& moto = MotoServer::Shared();
  ASSERT_TRUE(moto.running());
  auto made = AwsCli("eu-west-1", "ec2 create-vpc --cidr-block 10.9.0.0/16");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string vpc_id = made.json["Vpc"]["VpcId"].get<std::string>();
  auto seen = Boto3(
      "c = boto3.client('ec2', region_name='eu-west-1', endpoint_url=ENDPOINT)\n"
      "print(json.dumps([v['VpcId'] for v in c.describe_vpcs()['Vpcs']]))");
  ASSERT_EQ(seen.exit_code, 0) << seen.err;
  EXPECT_NE(seen.out.find(vpc_id), std::string::npos);
  auto other = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=cidr-block,Values=10.9.0.0/16");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_TRUE(other.json["Vpcs"].empty());
  moto.Reset();
  auto after = AwsCli("eu-west-1", "ec2 describe-vpcs --filters Name=cidr-block,Values=10.9.0.0/16");
  EXPECT_TRUE(after.json["Vpcs"].empty());
}

}  // namespace
}  // namespace infra::test
