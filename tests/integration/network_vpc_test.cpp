// aws_vpc, aws_subnet and aws_internet_gateway against a real moto_server,
// each step checked with the AWS CLI: create (tagged at creation), read
// back, in-place update, find by infra:address, import, batched read with
// a deleted id, delete.
#include <gtest/gtest.h>

#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkVpcTest : public NetworkTest {};

TEST_F(NetworkVpcTest, VpcLifecycle) {
  Attributes v = Create("aws_vpc", "aws_vpc.main",
                        {{"cidr_block", "10.20.0.0/16"}, {"enable_dns_hostnames", true}, {"tags", {{"Name", "main"}}}});
  ASSERT_TRUE(v.is_object());
  std::string id = v["id"];
  auto cli = Cli("describe-vpcs --vpc-ids " + id)["Vpcs"][0];
  EXPECT_EQ(cli["CidrBlock"], "10.20.0.0/16");
  EXPECT_EQ(TagOf(cli["Tags"], "Name"), "main");
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_vpc.main");
  EXPECT_EQ(TagOf(cli["Tags"], "infra:stack"), "nettest");
  EXPECT_EQ(Cli("describe-vpc-attribute --attribute enableDnsHostnames --vpc-id " + id)["EnableDnsHostnames"]["Value"],
            true);
  // Read back: user tags only, computed ids match what the CLI sees.
  EXPECT_EQ(v["tags"], nlohmann::json({{"Name", "main"}}));
  EXPECT_EQ(v["enable_dns_support"], true);
  EXPECT_EQ(v["enable_dns_hostnames"], true);
  EXPECT_EQ(v["owner_id"], cli["OwnerId"]);
  EXPECT_EQ(v["arn"], "arn:aws:ec2:eu-central-1:" + cli["OwnerId"].get<std::string>() + ":vpc/" + id);
  auto main_rt = Cli("describe-route-tables --filters Name=vpc-id,Values=" + id + " Name=association.main,Values=true");
  EXPECT_EQ(v["main_route_table_id"], main_rt["RouteTables"][0]["RouteTableId"]);
  auto sg = Cli("describe-security-groups --filters Name=vpc-id,Values=" + id + " Name=group-name,Values=default");
  EXPECT_EQ(v["default_security_group_id"], sg["SecurityGroups"][0]["GroupId"]);

  // In place: DNS hostnames off, tags changed (one removed, one added).
  Attributes desired = {{"cidr_block", "10.20.0.0/16"}, {"enable_dns_hostnames", false}, {"tags", {{"Env", "test"}}}};
  Attributes u = Update("aws_vpc", "aws_vpc.main", v, desired);
  EXPECT_EQ(u["id"], id);
  EXPECT_EQ(Cli("describe-vpc-attribute --attribute enableDnsHostnames --vpc-id " + id)["EnableDnsHostnames"]["Value"],
            false);
  cli = Cli("describe-vpcs --vpc-ids " + id)["Vpcs"][0];
  EXPECT_EQ(TagOf(cli["Tags"], "Env"), "test");
  EXPECT_EQ(TagOf(cli["Tags"], "Name"), "");
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_vpc.main");  // managed tags survive updates
  EXPECT_EQ(u["tags"], nlohmann::json({{"Env", "test"}}));

  // Crash recovery and import.
  auto found = T("aws_vpc").FindByAddress(Ctx("aws_vpc.main"), desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], id);
  auto other = T("aws_vpc").FindByAddress(Ctx("aws_vpc.other"), desired);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  auto imported = T("aws_vpc").Import(Ctx("aws_vpc.main"), id);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ((*imported)["cidr_block"], "10.20.0.0/16");
  EXPECT_EQ((*imported)["enable_dns_hostnames"], false);

  Delete("aws_vpc", "aws_vpc.main", u);
  auto gone = AwsCli(kPrimary, "ec2 describe-vpcs --vpc-ids " + id);
  EXPECT_NE(gone.exit_code, 0);
  EXPECT_NE(gone.err.find("InvalidVpcID.NotFound"), std::string::npos) << gone.err;
  EXPECT_TRUE(ReadBack("aws_vpc", id).is_null());
  auto missing = T("aws_vpc").Import(Ctx("aws_vpc.main"), id);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, Error::Kind::kNotFound);
  // Deleting what is already gone is success.
  EXPECT_TRUE(T("aws_vpc").Delete(Ctx("aws_vpc.main"), u).ok());
}

TEST_F(NetworkVpcTest, BatchedReadSkipsDeletedIds) {
  std::vector<std::string> ids;
  std::vector<Attributes> vpcs;
  for (int i = 0; i < 3; ++i) {
    vpcs.push_back(Create("aws_vpc", "aws_vpc.v[" + std::to_string(i) + "]",
                          {{"cidr_block", "10." + std::to_string(30 + i) + ".0.0/16"}}));
    ids.push_back(vpcs.back()["id"]);
  }
  ASSERT_EQ(Cli("delete-vpc --vpc-id " + ids[1]), nullptr);  // deleted outside infra
  auto got = T("aws_vpc").Read(kPrimary, ids);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 2u);
  EXPECT_TRUE(got->count(ids[0]));
  EXPECT_FALSE(got->count(ids[1]));
  EXPECT_EQ(got->at(ids[2])["cidr_block"], "10.32.0.0/16");
}

TEST_F(NetworkVpcTest, SubnetLifecycle) {
  std::string vpc = MakeVpc();
  Attributes desired = {{"vpc_id", vpc},
                        {"cidr_block", "10.0.1.0/24"},
                        {"availability_zone", "eu-central-1a"},
                        {"map_public_ip_on_launch", true},
                        {"tags", {{"Tier", "public"}}}};
  Attributes s = Create("aws_subnet", "aws_subnet.public[\"a\"]", desired);
  ASSERT_TRUE(s.is_object());
  std::string id = s["id"];
  auto cli = Cli("describe-subnets --subnet-ids " + id)["Subnets"][0];
  EXPECT_EQ(cli["CidrBlock"], "10.0.1.0/24");
  EXPECT_EQ(cli["AvailabilityZone"], "eu-central-1a");
  EXPECT_EQ(cli["MapPublicIpOnLaunch"], true);
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_subnet.public[\"a\"]");
  EXPECT_EQ(s["vpc_id"], vpc);
  EXPECT_EQ(s["availability_zone_id"], cli["AvailabilityZoneId"]);
  EXPECT_EQ(s["tags"], nlohmann::json({{"Tier", "public"}}));

  desired["map_public_ip_on_launch"] = false;
  desired["tags"] = {{"Tier", "private"}};
  Attributes u = Update("aws_subnet", "aws_subnet.public[\"a\"]", s, desired);
  cli = Cli("describe-subnets --subnet-ids " + id)["Subnets"][0];
  EXPECT_EQ(cli["MapPublicIpOnLaunch"], false);
  EXPECT_EQ(TagOf(cli["Tags"], "Tier"), "private");
  EXPECT_EQ(u["map_public_ip_on_launch"], false);

  auto found = T("aws_subnet").FindByAddress(Ctx("aws_subnet.public[\"a\"]"), desired);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], id);
  auto imported = T("aws_subnet").Import(Ctx("x"), id);
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ((*imported)["cidr_block"], "10.0.1.0/24");

  Attributes other = Create("aws_subnet", "aws_subnet.other", {{"vpc_id", vpc}, {"cidr_block", "10.0.2.0/24"}});
  Delete("aws_subnet", "aws_subnet.public[\"a\"]", u);
  EXPECT_EQ(Cli("describe-subnets --filters Name=subnet-id,Values=" + id)["Subnets"].size(), 0u);
  auto got = T("aws_subnet").Read(kPrimary, {id, other["id"]});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
  EXPECT_TRUE(got->count(other["id"]));
}

TEST_F(NetworkVpcTest, InternetGatewayAttachDetachDelete) {
  std::string vpc1 = MakeVpc("10.0.0.0/16");
  std::string vpc2 = Create("aws_vpc", "aws_vpc.second", {{"cidr_block", "10.9.0.0/16"}})["id"];
  Attributes desired = {{"vpc_id", vpc1}, {"tags", {{"Name", "igw"}}}};
  Attributes g = Create("aws_internet_gateway", "aws_internet_gateway.igw", desired);
  ASSERT_TRUE(g.is_object());
  std::string id = g["id"];
  auto cli = Cli("describe-internet-gateways --internet-gateway-ids " + id)["InternetGateways"][0];
  EXPECT_EQ(cli["Attachments"][0]["VpcId"], vpc1);
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_internet_gateway.igw");
  EXPECT_EQ(g["vpc_id"], vpc1);

  desired["vpc_id"] = vpc2;  // moved to another VPC in place
  Attributes u = Update("aws_internet_gateway", "aws_internet_gateway.igw", g, desired);
  cli = Cli("describe-internet-gateways --internet-gateway-ids " + id)["InternetGateways"][0];
  ASSERT_EQ(cli["Attachments"].size(), 1u);
  EXPECT_EQ(cli["Attachments"][0]["VpcId"], vpc2);
  EXPECT_EQ(u["vpc_id"], vpc2);

  auto found = T("aws_internet_gateway").FindByAddress(Ctx("aws_internet_gateway.igw"), desired);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], id);

  Delete("aws_internet_gateway", "aws_internet_gateway.igw", u);  // detaches first
  EXPECT_EQ(Cli("describe-internet-gateways --filters Name=internet-gateway-id,Values=" + id)["InternetGateways"].size(),
            0u);
}

}  // namespace
}  // namespace infra::test
