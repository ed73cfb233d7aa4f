// aws_vpc over the scripted client: the DNS flags set after the create and
// read per VPC, the default route table / security group / network ACL
// looked up for all VPCs at once, flag and tag updates, and a delete that
// waits and names what still uses the VPC. Golden wire: vpc.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

using provider::Phase;
using provider::PollStatus;

class VpcTest : public Ec2WireTest {
 protected:
  void ScriptRead(bool support, bool hostnames) {
    client_->Reply("DescribeVpcs", Xml("DescribeVpcs",
        "<vpcSet><item><vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock><instanceTenancy>default</instanceTenancy>"
        "<dhcpOptionsId>dopt-1</dhcpOptionsId><ownerId>123456789012</ownerId>" + TagSet("aws_vpc.main") +
        "</item></vpcSet>"));
    client_->Reply("DescribeVpcAttribute", Xml("DescribeVpcAttribute", std::string("<enableDnsSupport><value>") +
                                                   (support ? "true" : "false") + "</value></enableDnsSupport>"));
    client_->Reply("DescribeVpcAttribute", Xml("DescribeVpcAttribute", std::string("<enableDnsHostnames><value>") +
                                                   (hostnames ? "true" : "false") + "</value></enableDnsHostnames>"));
    client_->Reply("DescribeRouteTables", Xml("DescribeRouteTables",
        "<routeTableSet><item><routeTableId>rtb-main</routeTableId><vpcId>vpc-1</vpcId></item></routeTableSet>"));
    client_->Reply("DescribeSecurityGroups", Xml("DescribeSecurityGroups",
        "<securityGroupInfo><item><groupId>sg-default</groupId><vpcId>vpc-1</vpcId></item></securityGroupInfo>"));
    client_->Reply("DescribeNetworkAcls", Xml("DescribeNetworkAcls",
        "<networkAclSet><item><networkAclId>acl-1</networkAclId><vpcId>vpc-1</vpcId></item></networkAclSet>"));
  }
};

TEST_F(VpcTest, CreateUpdateDeleteOnTheWire) {
  auto ctx = Ctx("aws_vpc.main");
  client_->Reply("CreateVpc", Xml("CreateVpc", "<vpc><vpcId>vpc-1</vpcId></vpc>"));
  Ok("ModifyVpcAttribute");  // hostnames on: AWS's default is off
  ScriptRead(true, true);
  nlohmann::json desired = {{"cidr_block", "10.0.0.0/16"}, {"instance_tenancy", "default"},
                            {"enable_dns_support", true}, {"enable_dns_hostnames", true}, {"tags", {{"Name", "n"}}}};
  auto created = T("aws_vpc").Create(ctx, desired);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_FALSE(created->pending);
  EXPECT_EQ(created->attributes, (nlohmann::json{
      {"id", "vpc-1"}, {"cidr_block", "10.0.0.0/16"}, {"instance_tenancy", "default"}, {"owner_id", "123456789012"},
      {"dhcp_options_id", "dopt-1"}, {"arn", "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1"},
      {"tags", {{"Name", "n"}}}, {"enable_dns_support", true}, {"enable_dns_hostnames", true},
      {"main_route_table_id", "rtb-main"}, {"default_route_table_id", "rtb-main"},
      {"default_security_group_id", "sg-default"}, {"default_network_acl_id", "acl-1"}}));

  // Support off and a new tag: one flag call, one tag call.
  auto next = desired;
  next["enable_dns_support"] = false;
  next["tags"] = {{"Name", "n"}, {"team", "a"}};
  Ok("ModifyVpcAttribute");
  Ok("CreateTags");
  ScriptRead(false, true);
  auto updated = T("aws_vpc").Update(ctx, created->attributes, next);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->attributes["enable_dns_support"], false);

  // Still in use: the first retry names the subnet left in the VPC.
  client_->Fail("DeleteVpc", "DependencyViolation", Error::Kind::kConflict);
  auto deleted = T("aws_vpc").Delete(ctx, updated->attributes);
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_TRUE(deleted->pending);
  client_->Fail("DeleteVpc", "DependencyViolation", Error::Kind::kConflict);
  client_->Reply("DescribeSubnets", Xml("DescribeSubnets", "<subnetSet><item><subnetId>subnet-9</subnetId></item></subnetSet>"));
  client_->Reply("DescribeInternetGateways", Xml("DescribeInternetGateways"));
  client_->Reply("DescribeNatGateways", Xml("DescribeNatGateways",
      "<natGatewaySet><item><natGatewayId>nat-old</natGatewayId><state>deleted</state></item></natGatewaySet>"));
  client_->Reply("DescribeSecurityGroups", Xml("DescribeSecurityGroups",
      "<securityGroupInfo><item><groupId>sg-default</groupId><groupName>default</groupName></item></securityGroupInfo>"));
  client_->Reply("DescribeRouteTables", Xml("DescribeRouteTables",
      "<routeTableSet><item><routeTableId>rtb-main</routeTableId><associationSet><item><main>true</main></item>"
      "</associationSet></item></routeTableSet>"));
  client_->Fail("DescribeNetworkInterfaces", "UnauthorizedOperation", Error::Kind::kAuth);  // names nothing
  auto waiting = T("aws_vpc").Poll(ctx, updated->attributes, Phase::kDelete);
  ASSERT_TRUE(waiting.ok()) << waiting.error().ToString();
  EXPECT_EQ(waiting->status, PollStatus::kPending);
  EXPECT_EQ(waiting->detail, "waiting for dependents of vpc-1 to go away (DependencyViolation); "
                             "still in use by subnet-9 (subnet)");
  Ok("DeleteVpc");
  auto gone = T("aws_vpc").Poll(ctx, updated->attributes, Phase::kDelete);
  ASSERT_TRUE(gone.ok()) << gone.error().ToString();
  EXPECT_EQ(gone->status, PollStatus::kReady);
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("vpc", client_->calls());
}

TEST_F(VpcTest, CreateWithAwsDefaultsSetsNoFlag) {
  client_->Reply("CreateVpc", Xml("CreateVpc", "<vpc><vpcId>vpc-1</vpcId></vpc>"));
  ScriptRead(true, false);
  auto r = T("aws_vpc").Create(Ctx("aws_vpc.main"), {{"cidr_block", "10.0.0.0/16"}, {"enable_dns_support", true},
                                                     {"enable_dns_hostnames", false}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls().at(1).action, "DescribeVpcs");
  EXPECT_FALSE(client_->calls().at(0).idempotent);  // CreateVpc has no ClientToken
}

}  // namespace
}  // namespace infra::test
