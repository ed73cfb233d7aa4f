// aws_nat_gateway over the scripted client: the create sends the
// idempotency token and waits for `available`, a failed gateway fails the
// wait with AWS's message, and the delete waits for `deleted` (gone counts
// too). Golden wire: nat_gateway.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

using provider::Phase;
using provider::PollStatus;

class NatGatewayTest : public Ec2WireTest {
 protected:
  void ScriptState(const std::string& state, const std::string& extra = "") {
    client_->Reply("DescribeNatGateways", Xml("DescribeNatGateways",
        "<natGatewaySet><item><natGatewayId>nat-1</natGatewayId><subnetId>subnet-1</subnetId><state>" + state +
        "</state>" + extra + "<natGatewayAddressSet><item><allocationId>eipalloc-1</allocationId>"
        "<networkInterfaceId>eni-1</networkInterfaceId><privateIp>10.0.1.5</privateIp><publicIp>203.0.113.7</publicIp>"
        "<associationId>eipassoc-1</associationId></item></natGatewayAddressSet>" + TagSet("aws_nat_gateway.nat") +
        "</item></natGatewaySet>"));
  }
};

TEST_F(NatGatewayTest, CreateWaitsDeleteWaitsOnTheWire) {
  auto ctx = Ctx("aws_nat_gateway.nat");
  client_->Reply("CreateNatGateway", Xml("CreateNatGateway", "<natGateway><natGatewayId>nat-1</natGatewayId></natGateway>"));
  auto created = T("aws_nat_gateway").Create(ctx, {{"subnet_id", "subnet-1"}, {"allocation_id", "eipalloc-1"},
                                                   {"connectivity_type", "public"}, {"tags", {{"Name", "n"}}}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_TRUE(created->pending);
  ScriptState("pending");
  auto p1 = T("aws_nat_gateway").Poll(ctx, created->attributes, Phase::kCreate);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->status, PollStatus::kPending);
  EXPECT_EQ(p1->detail, "state pending");
  ScriptState("available");
  auto p2 = T("aws_nat_gateway").Poll(ctx, created->attributes, Phase::kCreate);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->status, PollStatus::kReady);
  EXPECT_EQ(p2->attributes, (nlohmann::json{
      {"id", "nat-1"}, {"subnet_id", "subnet-1"}, {"allocation_id", "eipalloc-1"}, {"connectivity_type", "public"},
      {"private_ip", "10.0.1.5"}, {"association_id", "eipassoc-1"}, {"network_interface_id", "eni-1"},
      {"public_ip", "203.0.113.7"}, {"tags", {{"Name", "n"}}}}));

  Ok("DeleteNatGateway");
  auto deleted = T("aws_nat_gateway").Delete(ctx, p2->attributes);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->pending);
  ScriptState("deleting");
  auto d1 = T("aws_nat_gateway").Poll(ctx, p2->attributes, Phase::kDelete);
  ASSERT_TRUE(d1.ok());
  EXPECT_EQ(d1->status, PollStatus::kPending);
  client_->Fail("DescribeNatGateways", "NatGatewayNotFound", Error::Kind::kNotFound);
  auto d2 = T("aws_nat_gateway").Poll(ctx, p2->attributes, Phase::kDelete);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->status, PollStatus::kReady);
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("nat_gateway", client_->calls());
}

TEST_F(NatGatewayTest, AFailedGatewayFailsTheCreateWithItsMessage) {
  ScriptState("failed", "<failureMessage>no capacity</failureMessage>");
  auto p = T("aws_nat_gateway").Poll(Ctx("aws_nat_gateway.nat"), {{"id", "nat-1"}}, Phase::kCreate);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kFailed);
  EXPECT_EQ(p->detail, "NAT gateway nat-1 is failed: no capacity");
  // A gateway in a final state reads as gone.
  ScriptState("deleted");
  auto read = T("aws_nat_gateway").Read("eu-west-1", {"nat-1"});
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
}

}  // namespace
}  // namespace infra::test
