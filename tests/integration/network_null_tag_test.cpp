// Issue 10 item 13 against moto_server, checked with the AWS CLI: a tag
// whose value is null (`tags: {Nul: ~}`) means "not set": it is not sent
// as the text "null" at create or update, and the resource reads back
// without it, so the next plan converges.
#include <gtest/gtest.h>

#include "engine/plan/attribute_diff.h"
#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkNullTagTest : public NetworkTest {};

TEST_F(NetworkNullTagTest, NullTagValueIsNoTagAtCreateAndUpdate) {
  std::string vpc = MakeVpc();
  ASSERT_FALSE(vpc.empty());
  Attributes desired = {{"vpc_id", vpc}, {"cidr_block", "10.0.1.0/24"}, {"tags", {{"Name", "a"}, {"Nul", nullptr}}}};
  Attributes subnet = Create("aws_subnet", "aws_subnet.a", desired);
  ASSERT_TRUE(subnet.is_object());
  std::string id = subnet["id"];
  auto tags = Cli("describe-subnets --subnet-ids " + id)["Subnets"][0]["Tags"];
  EXPECT_EQ(TagOf(tags, "Name"), "a");
  for (const auto& t : tags) EXPECT_NE(t.value("Key", ""), "Nul") << tags.dump();
  Attributes read = ReadBack("aws_subnet", id);
  EXPECT_EQ(read["tags"], nlohmann::json({{"Name", "a"}}));

  // The plan converges: desired (with the null tag) equals what AWS holds.
  const auto& schema = T("aws_subnet").schema();
  auto diff = engine::DiffAttributes(engine::AttributesToValues(read, schema),
                                     engine::WithDefaults(engine::AttributesToValues(desired, schema), schema), schema,
                                     engine::Lifecycle{});
  EXPECT_TRUE(diff.changed.empty()) << diff.changed.front();

  // An update that sets a tag to null removes it (the VPC is on the older
  // EC2 base, the subnet on the kit: both share the kit's tag code).
  Attributes vpc_prior = ReadBack("aws_vpc", vpc);
  Attributes vpc_desired = vpc_prior;
  vpc_desired["tags"] = {{"Keep", "k"}, {"Nul", nullptr}};
  Update("aws_vpc", "aws_vpc.fixture", vpc_prior, vpc_desired);
  auto vpc_tags = Cli("describe-vpcs --vpc-ids " + vpc)["Vpcs"][0]["Tags"];
  EXPECT_EQ(TagOf(vpc_tags, "Keep"), "k");
  for (const auto& t : vpc_tags) EXPECT_NE(t.value("Key", ""), "Nul") << vpc_tags.dump();

  Delete("aws_subnet", "aws_subnet.a", read);
}

}  // namespace
}  // namespace infra::test
