// The AWS provider registry: the network family's schemas are registered
// with Terraform attribute names and the flags validation relies on.
#include "providers/aws/aws_provider.h"

#include <gtest/gtest.h>

#include "providers/provider.h"

namespace infra::provider {
namespace {

TEST(AwsProviderTest, RegistersTheNetworkFamily) {
  auto p = aws::NewAwsProvider({});
  const std::vector<std::string> expected = {
      "aws_eip", "aws_internet_gateway", "aws_nat_gateway", "aws_route", "aws_route_table",
      "aws_route_table_association", "aws_security_group", "aws_subnet", "aws_vpc",
      "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
      "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule"};
  auto names = p->TypeNames();
  for (const auto& n : expected) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    ResourceType* t = p->Find(n);
    ASSERT_NE(t, nullptr) << n;
    EXPECT_EQ(t->schema().type, n);
    EXPECT_EQ(t->schema().service, "ec2");
    EXPECT_EQ(t->schema().not_found_grace, std::chrono::seconds(60));
    const AttributeSchema* id = t->schema().Find("id");
    ASSERT_NE(id, nullptr) << n;
    EXPECT_EQ(id->mode, AttrMode::kComputed);
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(p->Find("aws_nope"), nullptr);
}

TEST(AwsProviderTest, SubnetSchemaFlags) {
  auto p = aws::NewAwsProvider({});
  const ResourceSchema& s = p->Find("aws_subnet")->schema();
  const AttributeSchema* cidr = s.Find("cidr_block");
  ASSERT_NE(cidr, nullptr);
  EXPECT_EQ(cidr->mode, AttrMode::kRequired);
  EXPECT_TRUE(cidr->cidr);
  EXPECT_TRUE(cidr->force_new);
  const AttributeSchema* map_ip = s.Find("map_public_ip_on_launch");
  ASSERT_NE(map_ip, nullptr);
  EXPECT_EQ(map_ip->type, AttrType::kBool);
  EXPECT_FALSE(map_ip->force_new);
  EXPECT_EQ(map_ip->default_value, false);
  EXPECT_EQ(s.Find("tags")->type, AttrType::kMapString);
}

TEST(AwsProviderTest, RoutesAreNotTaggedAndRulesAre) {
  auto p = aws::NewAwsProvider({});
  EXPECT_FALSE(p->Find("aws_route")->schema().taggable);
  EXPECT_FALSE(p->Find("aws_route_table_association")->schema().taggable);
  EXPECT_TRUE(p->Find("aws_vpc_security_group_ingress_rule")->schema().taggable);
  EXPECT_EQ(p->Find("aws_security_group")->schema().Find("description")->default_value, "Managed by infra");
  EXPECT_EQ(p->Find("aws_nat_gateway")->schema().Find("connectivity_type")->default_value, "public");
  EXPECT_EQ(p->Find("aws_vpc_security_group_egress_rule")->schema().Find("from_port")->type, AttrType::kNumber);
}

}  // namespace
}  // namespace infra::provider
