// The EC2 family on the kit over a scripted client (recorded EC2 XML
// replies): the NotFound fallback of batched reads, infra:* tags at create
// and their filtering on read, NAT lookup by subnet with a client-side tag
// check, and the DependencyViolation retry through Poll.
#include <fmt/format.h>

#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using provider::Phase;
using provider::PollStatus;
using test::ScriptedAwsClient;

std::string Subnet(const std::string& id, const std::string& cidr, const std::string& address) {
  return "<item><subnetId>" + id + "</subnetId><vpcId>vpc-1</vpcId><cidrBlock>" + cidr +
         "</cidrBlock><availabilityZone>eu-west-1a</availabilityZone><availabilityZoneId>euw1-az1</availabilityZoneId>"
         "<mapPublicIpOnLaunch>true</mapPublicIpOnLaunch><ownerId>123456789012</ownerId><tagSet>"
         "<item><key>Name</key><value>web</value></item>"
         "<item><key>infra:address</key><value>" + address + "</value></item>"
         "<item><key>infra:stack</key><value>s</value></item></tagSet></item>";
}

std::string Subnets(const std::string& items) {
  return "<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>"
         "<subnetSet>" + items + "</subnetSet></DescribeSubnetsResponse>";
}

class Ec2ResourceTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) {
    return {"s", address, "eu-west-1", "tok", nullptr};
  }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(Ec2ResourceTest, ReadFallsBackToAFilterWhenOneIdIsGone) {
  client_->Fail("DescribeSubnets", "InvalidSubnetID.NotFound", Error::Kind::kNotFound);
  client_->Reply("DescribeSubnets", Subnets(Subnet("subnet-1", "10.0.1.0/24", "aws_subnet.a")));
  auto got = T("aws_subnet").Read("eu-west-1", {"subnet-1", "subnet-gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 1u);
  const auto& a = got->at("subnet-1");
  EXPECT_EQ(a["cidr_block"], "10.0.1.0/24");
  EXPECT_EQ(a["map_public_ip_on_launch"], true);
  EXPECT_EQ(a["availability_zone_id"], "euw1-az1");
  EXPECT_EQ(a["arn"], "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1");
  EXPECT_EQ(a["tags"], nlohmann::json({{"Name", "web"}}));  // infra:* filtered out
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].Param("SubnetId.1"), "subnet-1");
  EXPECT_EQ(calls[0].Param("SubnetId.2"), "subnet-gone");
  EXPECT_EQ(calls[1].Param("Filter.1.Name"), "subnet-id");
  EXPECT_EQ(calls[1].Param("Filter.1.Value.2"), "subnet-gone");
  EXPECT_EQ(calls[1].service, "ec2");
  EXPECT_EQ(calls[1].region, "eu-west-1");
}

TEST_F(Ec2ResourceTest, CreateTagsAtCreationAndSetsAttributes) {
  client_->Reply("CreateSubnet", "<CreateSubnetResponse><subnet><subnetId>subnet-9</subnetId></subnet></CreateSubnetResponse>");
  client_->Reply("ModifySubnetAttribute", "<ModifySubnetAttributeResponse><return>true</return></ModifySubnetAttributeResponse>");
  client_->Reply("DescribeSubnets", Subnets(Subnet("subnet-9", "10.0.9.0/24", "aws_subnet.a")));
  auto r = T("aws_subnet").Create(Ctx("aws_subnet.a"), {{"vpc_id", "vpc-1"}, {"cidr_block", "10.0.9.0/24"},
                                                       {"map_public_ip_on_launch", true}, {"tags", {{"Name", "web"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->pending);
  EXPECT_EQ(r->attributes["id"], "subnet-9");
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  const auto& create = calls[0];
  EXPECT_FALSE(create.idempotent);  // no ClientToken on CreateSubnet
  EXPECT_EQ(create.Param("TagSpecification.1.ResourceType"), "subnet");
  std::map<std::string, std::string> tags;
  for (int i = 1; i <= 3; ++i)
    tags[create.Param(fmt::format("TagSpecification.1.Tag.{}.Key", i))] =
        create.Param(fmt::format("TagSpecification.1.Tag.{}.Value", i));
  EXPECT_EQ(tags, (std::map<std::string, std::string>{{"Name", "web"}, {"infra:address", "aws_subnet.a"},
                                                      {"infra:stack", "s"}}));
  EXPECT_EQ(calls[1].Param("MapPublicIpOnLaunch.Value"), "true");
}

TEST_F(Ec2ResourceTest, CreateWhoseReplyCarriesTheSubnetIsNotDescribedAgain) {
  // Issue 12: CreateSubnet's reply holds the whole <subnet>; no read-back.
  // map_public_ip_on_launch is set after the create, so it comes from desired
  // even though the reply (made before ModifySubnetAttribute) says false.
  std::string item = Subnet("subnet-9", "10.0.9.0/24", "aws_subnet.a");
  item.replace(0, 6, "<subnet>");
  item.replace(item.size() - 7, 7, "</subnet>");
  size_t m = item.find("<mapPublicIpOnLaunch>true");
  item.replace(m, 25, "<mapPublicIpOnLaunch>false");
  client_->Reply("CreateSubnet", "<CreateSubnetResponse>" + item + "</CreateSubnetResponse>");
  client_->Reply("ModifySubnetAttribute", "<ModifySubnetAttributeResponse><return>true</return></ModifySubnetAttributeResponse>");
  auto r = T("aws_subnet").Create(Ctx("aws_subnet.a"), {{"vpc_id", "vpc-1"}, {"cidr_block", "10.0.9.0/24"},
                                                       {"map_public_ip_on_launch", true}, {"tags", {{"Name", "web"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->pending);
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u) << "CreateSubnet and ModifySubnetAttribute only";
  EXPECT_EQ(r->attributes["arn"], "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-9");
  EXPECT_EQ(r->attributes["availability_zone_id"], "euw1-az1");
  EXPECT_EQ(r->attributes["map_public_ip_on_launch"], true);
  EXPECT_EQ(r->attributes["tags"], (nlohmann::json{{"Name", "web"}}));
}

TEST_F(Ec2ResourceTest, CreateWhoseReplyLacksAttributesIsReadBack) {
  client_->Reply("CreateSubnet", "<CreateSubnetResponse><subnet><subnetId>subnet-9</subnetId></subnet></CreateSubnetResponse>");
  client_->Reply("DescribeSubnets", Subnets(Subnet("subnet-9", "10.0.9.0/24", "aws_subnet.a")));
  auto r = T("aws_subnet").Create(Ctx("aws_subnet.a"), {{"vpc_id", "vpc-1"}, {"cidr_block", "10.0.9.0/24"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].action, "DescribeSubnets");
  EXPECT_EQ(r->attributes["owner_id"], "123456789012");
}

TEST_F(Ec2ResourceTest, NatGatewayLookupFiltersBySubnetAndChecksTags) {
  auto nat = [](const std::string& id, const std::string& address, const std::string& state) {
    return "<item><natGatewayId>" + id + "</natGatewayId><subnetId>subnet-1</subnetId><state>" + state +
           "</state><natGatewayAddressSet><item><allocationId>eipalloc-1</allocationId></item></natGatewayAddressSet>"
           "<tagSet><item><key>infra:address</key><value>" + address + "</value></item>"
           "<item><key>infra:stack</key><value>s</value></item></tagSet></item>";
  };
  client_->Reply("DescribeNatGateways", "<DescribeNatGatewaysResponse><natGatewaySet>" +
                                            nat("nat-other", "aws_nat_gateway.b", "available") +
                                            nat("nat-ours", "aws_nat_gateway.a", "available") +
                                            "</natGatewaySet></DescribeNatGatewaysResponse>");
  auto found = T("aws_nat_gateway").FindByAddress(Ctx("aws_nat_gateway.a"), {{"subnet_id", "subnet-1"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], "nat-ours");
  EXPECT_EQ((**found)["allocation_id"], "eipalloc-1");
  auto call = client_->calls().at(0);
  EXPECT_EQ(call.Param("Filter.1.Name"), "subnet-id");
  EXPECT_EQ(call.Param("Filter.1.Value.1"), "subnet-1");
  for (const auto& [k, v] : call.params) EXPECT_EQ(v.find("tag:"), std::string::npos) << k;
}

TEST_F(Ec2ResourceTest, NatGatewayCreateUsesTheTokenAndWaits) {
  client_->Reply("CreateNatGateway",
                 "<CreateNatGatewayResponse><natGateway><natGatewayId>nat-1</natGatewayId><state>pending</state>"
                 "</natGateway></CreateNatGatewayResponse>");
  client_->Reply("DescribeNatGateways", "<R><natGatewaySet><item><natGatewayId>nat-1</natGatewayId>"
                                        "<state>pending</state></item></natGatewaySet></R>");
  client_->Reply("DescribeNatGateways", "<R><natGatewaySet><item><natGatewayId>nat-1</natGatewayId>"
                                        "<subnetId>subnet-1</subnetId><state>available</state></item></natGatewaySet></R>");
  auto ctx = Ctx("aws_nat_gateway.a");
  auto r = T("aws_nat_gateway").Create(ctx, {{"subnet_id", "subnet-1"}, {"connectivity_type", "public"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  EXPECT_EQ(client_->calls()[0].Param("ClientToken"), "tok");
  EXPECT_FALSE(client_->calls()[0].idempotent);  // a lost reply is looked up by tags, never re-sent
  auto p1 = T("aws_nat_gateway").Poll(ctx, r->attributes, Phase::kCreate);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->status, PollStatus::kPending);
  auto p2 = T("aws_nat_gateway").Poll(ctx, r->attributes, Phase::kCreate);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->status, PollStatus::kReady);
  EXPECT_EQ(p2->attributes["subnet_id"], "subnet-1");
}

// The fault campaign's twin: CreateRouteTable carries a ClientToken that
// moto ignores, so a re-send after a lost reply made a second table. The
// create is tagged at creation and never re-sent by the client; the engine's
// lookup by address finds it.
TEST_F(Ec2ResourceTest, RouteTableCreateIsTaggedAndNotResentSoALostReplyIsAdopted) {
  client_->Reply("CreateRouteTable", "<CreateRouteTableResponse><routeTable><routeTableId>rtb-1</routeTableId>"
                                     "</routeTable></CreateRouteTableResponse>");
  client_->Reply("DescribeRouteTables", "<R><routeTableSet><item><routeTableId>rtb-1</routeTableId><vpcId>vpc-1</vpcId>"
                                        "<ownerId>123456789012</ownerId></item></routeTableSet></R>");
  auto ctx = Ctx("aws_route_table.public_rt");
  auto r = T("aws_route_table").Create(ctx, {{"vpc_id", "vpc-1"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const auto create = client_->calls().at(0);
  EXPECT_EQ(create.Param("ClientToken"), "tok");
  EXPECT_FALSE(create.idempotent);
  EXPECT_EQ(create.Param("TagSpecification.1.ResourceType"), "route-table");
  std::map<std::string, std::string> tags;
  for (int i = 1; i <= 2; ++i)
    tags[create.Param(fmt::format("TagSpecification.1.Tag.{}.Key", i))] =
        create.Param(fmt::format("TagSpecification.1.Tag.{}.Value", i));
  EXPECT_EQ(tags, (std::map<std::string, std::string>{{"infra:address", "aws_route_table.public_rt"},
                                                      {"infra:stack", "s"}}));

  auto table = [](const std::string& id, const std::string& address) {
    return "<item><routeTableId>" + id + "</routeTableId><vpcId>vpc-1</vpcId><ownerId>123456789012</ownerId><tagSet>"
           "<item><key>infra:address</key><value>" + address + "</value></item>"
           "<item><key>infra:stack</key><value>s</value></item></tagSet></item>";
  };
  client_->Reply("DescribeRouteTables", "<R><routeTableSet>" + table("rtb-other", "aws_route_table.private_rt") +
                                            table("rtb-1", "aws_route_table.public_rt") + "</routeTableSet></R>");
  auto found = T("aws_route_table").FindByAddress(ctx, {{"vpc_id", "vpc-1"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], "rtb-1");
  const auto lookup = client_->calls().back();
  EXPECT_EQ(lookup.action, "DescribeRouteTables");
  EXPECT_EQ(lookup.Param("Filter.1.Name"), "tag:infra:address");
  EXPECT_EQ(lookup.Param("Filter.1.Value.1"), "aws_route_table.public_rt");
}

// The fault campaign's unset attribute: a subnet adopted after a lost reply
// (of CreateSubnet, or of the ModifySubnetAttribute after it) still has
// map_public_ip_on_launch false; the adoption finishes it.
TEST_F(Ec2ResourceTest, AdoptedSubnetGetsTheAttributeTheCreateWouldHaveSet) {
  std::string item = Subnet("subnet-9", "10.0.9.0/24", "aws_subnet.a");
  size_t m = item.find("<mapPublicIpOnLaunch>true");
  item.replace(m, 25, "<mapPublicIpOnLaunch>false");
  client_->Reply("DescribeSubnets", Subnets(item));
  client_->Reply("ModifySubnetAttribute", "<ModifySubnetAttributeResponse><return>true</return></ModifySubnetAttributeResponse>");
  nlohmann::json desired = {{"vpc_id", "vpc-1"}, {"cidr_block", "10.0.9.0/24"}, {"map_public_ip_on_launch", true}};
  auto found = T("aws_subnet").FindByAddress(Ctx("aws_subnet.a"), desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].action, "ModifySubnetAttribute");
  EXPECT_TRUE(calls[1].idempotent);  // safe to re-send
  EXPECT_EQ(calls[1].Param("SubnetId"), "subnet-9");
  EXPECT_EQ(calls[1].Param("MapPublicIpOnLaunch.Value"), "true");

  // Already set (the call went through before the reply was lost): no call.
  client_->Reply("DescribeSubnets", Subnets(Subnet("subnet-9", "10.0.9.0/24", "aws_subnet.a")));
  auto again = T("aws_subnet").FindByAddress(Ctx("aws_subnet.a"), desired);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(client_->calls().size(), 3u);
  EXPECT_EQ(client_->remaining(), 0u);
}

// A failed ModifySubnetAttribute fails the adoption (never a silent success).
TEST_F(Ec2ResourceTest, AFailedAttributeCallFailsTheAdoption) {
  std::string item = Subnet("subnet-9", "10.0.9.0/24", "aws_subnet.a");
  item.replace(item.find("<mapPublicIpOnLaunch>true"), 25, "<mapPublicIpOnLaunch>false");
  client_->Reply("DescribeSubnets", Subnets(item));
  client_->Fail("ModifySubnetAttribute", "RequestLimitExceeded", Error::Kind::kThrottled);
  auto found = T("aws_subnet").FindByAddress(Ctx("aws_subnet.a"), {{"map_public_ip_on_launch", true}});
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "RequestLimitExceeded");
}

TEST_F(Ec2ResourceTest, DependencyViolationOnDeleteIsRetriedThroughPoll) {
  client_->Fail("DeleteSubnet", "DependencyViolation", Error::Kind::kConflict);
  client_->Fail("DeleteSubnet", "DependencyViolation", Error::Kind::kConflict);
  client_->Reply("DeleteSubnet", "<DeleteSubnetResponse><return>true</return></DeleteSubnetResponse>");
  auto ctx = Ctx("aws_subnet.a");
  provider::Attributes prior = {{"id", "subnet-1"}};
  auto r = T("aws_subnet").Delete(ctx, prior);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  auto p1 = T("aws_subnet").Poll(ctx, prior, Phase::kDelete);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->status, PollStatus::kPending);
  auto p2 = T("aws_subnet").Poll(ctx, prior, Phase::kDelete);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->status, PollStatus::kReady);
  EXPECT_EQ(client_->remaining(), 0u);
  // Other errors are errors.
  client_->Fail("DeleteSubnet", "UnauthorizedOperation", Error::Kind::kAuth);
  EXPECT_FALSE(T("aws_subnet").Delete(ctx, prior).ok());
}

}  // namespace
}  // namespace infra::aws
