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

}  // namespace
}  // namespace infra::test
