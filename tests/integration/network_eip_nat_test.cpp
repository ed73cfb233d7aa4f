// aws_eip and aws_nat_gateway against a real moto_server, checked with the
// AWS CLI: allocation and tags, the NAT gateway's pending -> available and
// deleting -> deleted waits through Poll, find by address (NAT tag filters
// are ignored by moto: the provider filters by subnet and checks tags).
#include <gtest/gtest.h>

#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkEipNatTest : public NetworkTest {};

TEST_F(NetworkEipNatTest, EipLifecycle) {
  Attributes e = Create("aws_eip", "aws_eip.nat[\"a\"]", {{"domain", "vpc"}, {"tags", {{"Name", "nat-a"}}}});
  ASSERT_TRUE(e.is_object());
  std::string id = e["id"];
  EXPECT_EQ(id.rfind("eipalloc-", 0), 0u) << id;
  auto cli = Cli("describe-addresses --allocation-ids " + id)["Addresses"][0];
  EXPECT_EQ(cli["PublicIp"], e["public_ip"]);
  EXPECT_EQ(cli["Domain"], "vpc");
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_eip.nat[\"a\"]");
  EXPECT_EQ(e["allocation_id"], id);
  EXPECT_EQ(e["tags"], nlohmann::json({{"Name", "nat-a"}}));

  Attributes u = Update("aws_eip", "aws_eip.nat[\"a\"]", e, {{"domain", "vpc"}, {"tags", {{"Name", "renamed"}}}});
  EXPECT_EQ(TagOf(Cli("describe-addresses --allocation-ids " + id)["Addresses"][0]["Tags"], "Name"), "renamed");
  EXPECT_EQ(u["tags"]["Name"], "renamed");

  auto found = T("aws_eip").FindByAddress(Ctx("aws_eip.nat[\"a\"]"), {{"domain", "vpc"}});
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], id);

  Attributes keep = Create("aws_eip", "aws_eip.keep", {{"domain", "vpc"}});
  Delete("aws_eip", "aws_eip.nat[\"a\"]", u);
  EXPECT_EQ(Cli("describe-addresses --filters Name=allocation-id,Values=" + id)["Addresses"].size(), 0u);
  auto got = T("aws_eip").Read(kPrimary, {id, keep["id"]});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
  EXPECT_TRUE(got->count(keep["id"]));
}

TEST_F(NetworkEipNatTest, NatGatewayWaitsAndLifecycle) {
  std::string vpc = MakeVpc();
  std::string subnet = Create("aws_subnet", "aws_subnet.public", {{"vpc_id", vpc}, {"cidr_block", "10.0.1.0/24"}})["id"];
  std::string eip = Create("aws_eip", "aws_eip.nat", {{"domain", "vpc"}})["id"];

  Attributes desired = {{"subnet_id", subnet}, {"allocation_id", eip}, {"connectivity_type", "public"},
                        {"tags", {{"Name", "nat"}}}};
  auto ctx = Ctx("aws_nat_gateway.nat");
  auto made = T("aws_nat_gateway").Create(ctx, desired);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_TRUE(made->pending);  // waits for `available` through Poll
  Attributes n = Settle(T("aws_nat_gateway"), ctx, *made, provider::Phase::kCreate);
  std::string id = n["id"];
  auto cli = Cli("describe-nat-gateways --nat-gateway-ids " + id)["NatGateways"][0];
  EXPECT_EQ(cli["State"], "available");
  EXPECT_EQ(cli["SubnetId"], subnet);
  EXPECT_EQ(cli["NatGatewayAddresses"][0]["AllocationId"], eip);
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_nat_gateway.nat");
  EXPECT_EQ(n["allocation_id"], eip);
  EXPECT_EQ(n["public_ip"], cli["NatGatewayAddresses"][0]["PublicIp"]);
  EXPECT_EQ(n["tags"], nlohmann::json({{"Name", "nat"}}));

  desired["tags"] = {{"Name", "nat-renamed"}};
  Attributes u = Update("aws_nat_gateway", "aws_nat_gateway.nat", n, desired);
  EXPECT_EQ(TagOf(Cli("describe-nat-gateways --nat-gateway-ids " + id)["NatGateways"][0]["Tags"], "Name"),
            "nat-renamed");

  // Another NAT gateway elsewhere with another address must not be adopted.
  std::string subnet2 = Create("aws_subnet", "aws_subnet.b", {{"vpc_id", vpc}, {"cidr_block", "10.0.2.0/24"}})["id"];
  std::string eip2 = Create("aws_eip", "aws_eip.b", {{"domain", "vpc"}})["id"];
  Attributes other = Create("aws_nat_gateway", "aws_nat_gateway.other", {{"subnet_id", subnet}, {"allocation_id", eip2}});
  auto found = T("aws_nat_gateway").FindByAddress(ctx, desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], id);
  auto none = T("aws_nat_gateway").FindByAddress(Ctx("aws_nat_gateway.nope"), {{"subnet_id", subnet2}});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto del = T("aws_nat_gateway").Delete(ctx, u);
  ASSERT_TRUE(del.ok()) << del.error().ToString();
  EXPECT_TRUE(del->pending);  // waits for `deleted`
  Settle(T("aws_nat_gateway"), ctx, *del, provider::Phase::kDelete);
  EXPECT_EQ(Cli("describe-nat-gateways --nat-gateway-ids " + id)["NatGateways"][0]["State"], "deleted");
  // A deleted NAT gateway (still listed by EC2) is absent from Read.
  auto got = T("aws_nat_gateway").Read(kPrimary, {id, other["id"]});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
  EXPECT_TRUE(got->count(other["id"]));
}

}  // namespace
}  // namespace infra::test
