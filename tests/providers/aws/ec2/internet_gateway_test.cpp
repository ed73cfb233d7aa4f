// aws_internet_gateway over the scripted client: attached after the create,
// moved in place by detach + attach, detached before the delete (already
// detached is fine), its VPC read from the attachment set. Golden wire:
// internet_gateway.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

class InternetGatewayTest : public Ec2WireTest {
 protected:
  void ScriptRead(const std::string& vpc) {
    client_->Reply("DescribeInternetGateways", Xml("DescribeInternetGateways",
        "<internetGatewaySet><item><internetGatewayId>igw-1</internetGatewayId><ownerId>123456789012</ownerId>"
        "<attachmentSet><item><vpcId>" + vpc + "</vpcId><state>available</state></item></attachmentSet>" +
        TagSet("aws_internet_gateway.gw") + "</item></internetGatewaySet>"));
  }
};

TEST_F(InternetGatewayTest, CreateMoveDeleteOnTheWire) {
  auto ctx = Ctx("aws_internet_gateway.gw");
  client_->Reply("CreateInternetGateway", Xml("CreateInternetGateway",
      "<internetGateway><internetGatewayId>igw-1</internetGatewayId></internetGateway>"));
  Ok("AttachInternetGateway");
  ScriptRead("vpc-1");
  auto created = T("aws_internet_gateway").Create(ctx, {{"vpc_id", "vpc-1"}, {"tags", {{"Name", "n"}}}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes, (nlohmann::json{{"id", "igw-1"}, {"vpc_id", "vpc-1"}, {"owner_id", "123456789012"},
                                                 {"arn", "arn:aws:ec2:eu-west-1:123456789012:internet-gateway/igw-1"},
                                                 {"tags", {{"Name", "n"}}}}));
  Ok("DetachInternetGateway");
  Ok("AttachInternetGateway");
  ScriptRead("vpc-2");
  auto moved = T("aws_internet_gateway").Update(ctx, created->attributes, {{"vpc_id", "vpc-2"}, {"tags", {{"Name", "n"}}}});
  ASSERT_TRUE(moved.ok()) << moved.error().ToString();
  EXPECT_EQ(moved->attributes["vpc_id"], "vpc-2");
  client_->Fail("DetachInternetGateway", "Gateway.NotAttached", Error::Kind::kConflict);
  Ok("DeleteInternetGateway");
  auto deleted = T("aws_internet_gateway").Delete(ctx, moved->attributes);
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_FALSE(deleted->pending);
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("internet_gateway", client_->calls());
}

// The fault campaign: a gateway adopted after a lost CreateInternetGateway
// reply is attached (the create's attach never ran), and a re-sent attach
// refused with Resource.AlreadyAssociated (its first reply was lost) is
// success for a gateway infra made.
TEST_F(InternetGatewayTest, AdoptedUnattachedGatewayIsAttachedAndARepeatedAttachIsSuccess) {
  auto ctx = Ctx("aws_internet_gateway.gw");
  client_->Reply("DescribeInternetGateways", Xml("DescribeInternetGateways",
      "<internetGatewaySet><item><internetGatewayId>igw-1</internetGatewayId><ownerId>123456789012</ownerId>" +
      TagSet("aws_internet_gateway.gw") + "</item></internetGatewaySet>"));
  client_->Fail("AttachInternetGateway", "Resource.AlreadyAssociated", Error::Kind::kConflict);
  auto found = T("aws_internet_gateway").FindByAddress(ctx, {{"vpc_id", "vpc-1"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].action, "AttachInternetGateway");
  EXPECT_EQ(calls[1].Param("InternetGatewayId"), "igw-1");
  EXPECT_EQ(calls[1].Param("VpcId"), "vpc-1");

  // Already attached: nothing to do.
  ScriptRead("vpc-1");
  auto again = T("aws_internet_gateway").FindByAddress(ctx, {{"vpc_id", "vpc-1"}});
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(client_->calls().size(), 3u);
  EXPECT_EQ(client_->remaining(), 0u);
}

}  // namespace
}  // namespace infra::test
