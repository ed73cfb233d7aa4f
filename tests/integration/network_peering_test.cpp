// aws_vpc_peering_connection (from eu-central-1 with peer_region) and
// aws_vpc_peering_connection_accepter (in eu-west-1) against a real
// moto_server, checked with the AWS CLI in both regions: pending-acceptance,
// then active after the accepter; routes over the peering; delete.
#include <gtest/gtest.h>

#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkPeeringTest : public NetworkTest {};

TEST_F(NetworkPeeringTest, CrossRegionPeeringWithAccepter) {
  std::string primary = MakeVpc("10.0.0.0/16", kPrimary);
  std::string dr = MakeVpc("10.1.0.0/16", kDr);
  Attributes desired = {{"vpc_id", primary}, {"peer_vpc_id", dr}, {"peer_region", kDr}, {"tags", {{"Name", "p2d"}}}};
  Attributes p = Create("aws_vpc_peering_connection", "aws_vpc_peering_connection.peering", desired);
  ASSERT_TRUE(p.is_object());
  std::string id = p["id"];
  EXPECT_EQ(p["accept_status"], "pending-acceptance");
  EXPECT_EQ(p["peer_region"], kDr);
  EXPECT_EQ(p["peer_vpc_id"], dr);
  auto cli = Cli("describe-vpc-peering-connections --vpc-peering-connection-ids " + id)["VpcPeeringConnections"][0];
  EXPECT_EQ(cli["Status"]["Code"], "pending-acceptance");
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_vpc_peering_connection.peering");
  auto found = T("aws_vpc_peering_connection").FindByAddress(Ctx("aws_vpc_peering_connection.peering"), desired);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], id);

  Attributes acc_desired = {{"vpc_peering_connection_id", id}, {"auto_accept", true}};
  Attributes a = Create("aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_accepter.peering",
                        acc_desired, kDr);
  ASSERT_TRUE(a.is_object());
  EXPECT_EQ(a["id"], id);
  EXPECT_EQ(a["accept_status"], "active");
  EXPECT_EQ(a["vpc_id"], dr);
  for (const char* region : {kPrimary, kDr}) {
    auto c = Cli("describe-vpc-peering-connections --vpc-peering-connection-ids " + id, region);
    EXPECT_EQ(c["VpcPeeringConnections"][0]["Status"]["Code"], "active") << region;
  }
  EXPECT_EQ(ReadBack("aws_vpc_peering_connection", id)["accept_status"], "active");

  // Routes both ways over the peering.
  Attributes v1 = ReadBack("aws_vpc", primary, kPrimary);
  Attributes v2 = ReadBack("aws_vpc", dr, kDr);
  Create("aws_route", "aws_route.to_dr",
         {{"route_table_id", v1["main_route_table_id"]}, {"destination_cidr_block", "10.1.0.0/16"},
          {"vpc_peering_connection_id", id}});
  Create("aws_route", "aws_route.to_primary",
         {{"route_table_id", v2["main_route_table_id"]}, {"destination_cidr_block", "10.0.0.0/16"},
          {"vpc_peering_connection_id", id}},
         kDr);
  auto routes = Cli("describe-route-tables --filters Name=route.vpc-peering-connection-id,Values=" + id, kDr);
  EXPECT_EQ(routes["RouteTables"].size(), 1u);
  Attributes r = ReadBack("aws_route", v1["main_route_table_id"].get<std::string>() + "_10.1.0.0/16");
  EXPECT_EQ(r["vpc_peering_connection_id"], id);

  // The accepter's delete only forgets; the requester's delete removes it.
  Delete("aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_accepter.peering", a, kDr);
  EXPECT_FALSE(ReadBack("aws_vpc_peering_connection", id).is_null());
  Delete("aws_vpc_peering_connection", "aws_vpc_peering_connection.peering", p);
  cli = Cli("describe-vpc-peering-connections --vpc-peering-connection-ids " + id)["VpcPeeringConnections"][0];
  EXPECT_EQ(cli["Status"]["Code"], "deleted");
  EXPECT_TRUE(ReadBack("aws_vpc_peering_connection", id).is_null());
}

}  // namespace
}  // namespace infra::test
