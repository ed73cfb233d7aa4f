// aws_route_table, aws_route and aws_route_table_association against a
// real moto_server, checked with the AWS CLI: create, retarget a route in
// place, a route deleted outside infra disappears from Read, switch an
// association to another table in place, find by address, delete.
#include <gtest/gtest.h>

#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkRouteTest : public NetworkTest {
 protected:
  nlohmann::json RouteTable(const std::string& id) {
    return Cli("describe-route-tables --route-table-ids " + id)["RouteTables"][0];
  }
  static nlohmann::json RouteTo(const nlohmann::json& table, const std::string& dest) {
    for (const auto& r : table["Routes"])
      if (r.value("DestinationCidrBlock", "") == dest) return r;
    return nullptr;
  }
};

TEST_F(NetworkRouteTest, RouteTableAndRoutes) {
  std::string vpc = MakeVpc();
  std::string igw = Create("aws_internet_gateway", "aws_internet_gateway.igw", {{"vpc_id", vpc}})["id"];
  std::string igw2 = Create("aws_internet_gateway", "aws_internet_gateway.igw2", nlohmann::json::object())["id"];
  Attributes rt = Create("aws_route_table", "aws_route_table.public", {{"vpc_id", vpc}, {"tags", {{"Name", "pub"}}}});
  ASSERT_TRUE(rt.is_object());
  std::string rtb = rt["id"];
  auto cli = RouteTable(rtb);
  EXPECT_EQ(cli["VpcId"], vpc);
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_route_table.public");
  EXPECT_EQ(rt["tags"], nlohmann::json({{"Name", "pub"}}));
  Attributes rtu = Update("aws_route_table", "aws_route_table.public", rt, {{"vpc_id", vpc}, {"tags", {{"Name", "x"}}}});
  EXPECT_EQ(TagOf(RouteTable(rtb)["Tags"], "Name"), "x");

  Attributes desired = {{"route_table_id", rtb}, {"destination_cidr_block", "0.0.0.0/0"}, {"gateway_id", igw}};
  Attributes r = Create("aws_route", "aws_route.default", desired);
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["id"], rtb + "_0.0.0.0/0");
  EXPECT_EQ(RouteTo(RouteTable(rtb), "0.0.0.0/0")["GatewayId"], igw);
  EXPECT_EQ(r["gateway_id"], igw);
  EXPECT_TRUE(r["nat_gateway_id"].is_null());

  // Retarget in place (ReplaceRoute).
  ASSERT_EQ(Cli("attach-internet-gateway --internet-gateway-id " + igw2 + " --vpc-id " +
                Create("aws_vpc", "aws_vpc.tmp", {{"cidr_block", "10.7.0.0/16"}})["id"].get<std::string>()),
            nullptr);
  Attributes d2 = desired;
  d2["gateway_id"] = igw2;
  Attributes ru = Update("aws_route", "aws_route.default", r, d2);
  EXPECT_EQ(RouteTo(RouteTable(rtb), "0.0.0.0/0")["GatewayId"], igw2);
  EXPECT_EQ(ru["gateway_id"], igw2);

  auto found = T("aws_route").FindByAddress(Ctx("aws_route.default"), d2);
  ASSERT_TRUE(found.ok() && found->has_value());
  auto imported = T("aws_route").Import(Ctx("aws_route.default"), rtb + "_0.0.0.0/0");
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ((*imported)["gateway_id"], igw2);

  // Deleted outside infra: gone from the batched read, the other route stays.
  Attributes r2 = Create("aws_route", "aws_route.other",
                         {{"route_table_id", rtb}, {"destination_cidr_block", "192.168.0.0/16"}, {"gateway_id", igw2}});
  ASSERT_EQ(Cli("delete-route --route-table-id " + rtb + " --destination-cidr-block 0.0.0.0/0"), nullptr);
  auto got = T("aws_route").Read(kPrimary, {rtb + "_0.0.0.0/0", rtb + "_192.168.0.0/16"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
  EXPECT_TRUE(got->count(rtb + "_192.168.0.0/16"));

  Delete("aws_route", "aws_route.other", r2);
  EXPECT_TRUE(RouteTo(RouteTable(rtb), "192.168.0.0/16").is_null());
  Delete("aws_route", "aws_route.default", ru);  // already gone: success
  Delete("aws_route_table", "aws_route_table.public", rtu);
  EXPECT_EQ(Cli("describe-route-tables --filters Name=route-table-id,Values=" + rtb)["RouteTables"].size(), 0u);
}

TEST_F(NetworkRouteTest, AssociationSwitchesTableInPlace) {
  std::string vpc = MakeVpc();
  std::string subnet = Create("aws_subnet", "aws_subnet.a", {{"vpc_id", vpc}, {"cidr_block", "10.0.1.0/24"}})["id"];
  std::string rt1 = Create("aws_route_table", "aws_route_table.one", {{"vpc_id", vpc}})["id"];
  std::string rt2 = Create("aws_route_table", "aws_route_table.two", {{"vpc_id", vpc}})["id"];
  Attributes desired = {{"subnet_id", subnet}, {"route_table_id", rt1}};
  Attributes a = Create("aws_route_table_association", "aws_route_table_association.a", desired);
  ASSERT_TRUE(a.is_object());
  std::string assoc = a["id"];
  auto cli = Cli("describe-route-tables --filters Name=association.subnet-id,Values=" + subnet)["RouteTables"];
  ASSERT_EQ(cli.size(), 1u);
  EXPECT_EQ(cli[0]["RouteTableId"], rt1);
  EXPECT_EQ(a["subnet_id"], subnet);
  EXPECT_EQ(a["route_table_id"], rt1);

  auto found = T("aws_route_table_association").FindByAddress(Ctx("aws_route_table_association.a"), desired);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], assoc);

  desired["route_table_id"] = rt2;
  Attributes u = Update("aws_route_table_association", "aws_route_table_association.a", a, desired);
  cli = Cli("describe-route-tables --filters Name=association.subnet-id,Values=" + subnet)["RouteTables"];
  ASSERT_EQ(cli.size(), 1u);
  EXPECT_EQ(cli[0]["RouteTableId"], rt2);
  EXPECT_EQ(u["route_table_id"], rt2);
  EXPECT_FALSE(ReadBack("aws_route_table_association", u["id"]).is_null());

  // A route table with an association cannot go first: DependencyViolation
  // is reported as pending, and the delete goes through once it is free.
  auto rt_delete = T("aws_route_table").Delete(Ctx("aws_route_table.two"), {{"id", rt2}});
  ASSERT_TRUE(rt_delete.ok()) << rt_delete.error().ToString();
  EXPECT_TRUE(rt_delete->pending);

  Delete("aws_route_table_association", "aws_route_table_association.a", u);
  EXPECT_EQ(Cli("describe-route-tables --filters Name=association.subnet-id,Values=" + subnet)["RouteTables"].size(), 0u);
  EXPECT_TRUE(ReadBack("aws_route_table_association", u["id"]).is_null());
  auto poll = T("aws_route_table").Poll(Ctx("aws_route_table.two"), rt_delete->attributes, provider::Phase::kDelete);
  ASSERT_TRUE(poll.ok()) << poll.error().ToString();
  EXPECT_EQ(poll->status, provider::PollStatus::kReady);
  EXPECT_EQ(Cli("describe-route-tables --filters Name=route-table-id,Values=" + rt2)["RouteTables"].size(), 0u);
}

}  // namespace
}  // namespace infra::test
