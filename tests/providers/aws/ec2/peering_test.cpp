// aws_vpc_peering_connection and its accepter over the scripted client:
// the requester accepts at once with auto_accept and waits for `active`;
// without it `pending-acceptance` is final; the accepter reads, accepts and
// tags the peering in its region, adopts it by id and only forgets it on
// delete. Golden wire: peering.txt, peering_accepter.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

using provider::Phase;
using provider::PollStatus;

class PeeringTest : public Ec2WireTest {
 protected:
  void ScriptStatus(const std::string& status, const std::string& address) {
    client_->Reply("DescribeVpcPeeringConnections", Xml("DescribeVpcPeeringConnections",
        "<vpcPeeringConnectionSet><item><vpcPeeringConnectionId>pcx-1</vpcPeeringConnectionId>"
        "<requesterVpcInfo><vpcId>vpc-a</vpcId><ownerId>111111111111</ownerId><region>eu-west-1</region></requesterVpcInfo>"
        "<accepterVpcInfo><vpcId>vpc-b</vpcId><ownerId>222222222222</ownerId><region>us-east-1</region></accepterVpcInfo>"
        "<status><code>" + status + "</code></status>" + TagSet(address) + "</item></vpcPeeringConnectionSet>"));
  }
};

TEST_F(PeeringTest, RequesterCreatesAcceptsWaitsAndDeletesOnTheWire) {
  auto ctx = Ctx("aws_vpc_peering_connection.p");
  client_->Reply("CreateVpcPeeringConnection", Xml("CreateVpcPeeringConnection",
      "<vpcPeeringConnection><vpcPeeringConnectionId>pcx-1</vpcPeeringConnectionId></vpcPeeringConnection>"));
  Ok("AcceptVpcPeeringConnection");
  nlohmann::json desired = {{"vpc_id", "vpc-a"}, {"peer_vpc_id", "vpc-b"}, {"auto_accept", true}, {"tags", {{"Name", "n"}}}};
  auto created = T("aws_vpc_peering_connection").Create(ctx, desired);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_TRUE(created->pending);
  ScriptStatus("pending-acceptance", ctx.address);
  auto p1 = T("aws_vpc_peering_connection").Poll(ctx, created->attributes, Phase::kCreate);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->status, PollStatus::kPending);  // auto_accept: wait for active
  ScriptStatus("active", ctx.address);
  auto p2 = T("aws_vpc_peering_connection").Poll(ctx, created->attributes, Phase::kCreate);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->status, PollStatus::kReady);
  EXPECT_EQ(p2->attributes, (nlohmann::json{{"id", "pcx-1"}, {"vpc_id", "vpc-a"}, {"peer_vpc_id", "vpc-b"},
                                            {"peer_owner_id", "222222222222"}, {"peer_region", "us-east-1"},
                                            {"accept_status", "active"}, {"tags", {{"Name", "n"}}}}));
  // A tag change on an active peering: no accept call.
  auto next = desired;
  next["tags"] = {{"Name", "m"}};
  Ok("CreateTags");
  ScriptStatus("active", ctx.address);
  auto updated = T("aws_vpc_peering_connection").Update(ctx, p2->attributes, next);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  Ok("DeleteVpcPeeringConnection");
  auto deleted = T("aws_vpc_peering_connection").Delete(ctx, updated->attributes);
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(deleted->pending);
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("peering", client_->calls());
}

TEST_F(PeeringTest, WithoutAutoAcceptPendingAcceptanceIsFinalAndRejectedIsGone) {
  ScriptStatus("pending-acceptance", "x");
  auto p = T("aws_vpc_peering_connection").Poll(Ctx("x"), {{"id", "pcx-1"}}, Phase::kCreate);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kReady);
  ScriptStatus("rejected", "x");
  auto read = T("aws_vpc_peering_connection").Read("eu-west-1", {"pcx-1"});
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
}

TEST_F(PeeringTest, AccepterAcceptsTagsAdoptsAndForgetsOnTheWire) {
  auto ctx = Ctx("aws_vpc_peering_connection_accepter.a");
  ctx.region = "us-east-1";
  ScriptStatus("pending-acceptance", "aws_vpc_peering_connection.p");
  Ok("AcceptVpcPeeringConnection");
  Ok("CreateTags");
  nlohmann::json desired = {{"vpc_peering_connection_id", "pcx-1"}, {"auto_accept", true}, {"tags", {{"Side", "b"}}}};
  auto created = T("aws_vpc_peering_connection_accepter").Create(ctx, desired);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_TRUE(created->pending);
  ScriptStatus("active", "aws_vpc_peering_connection.p");
  auto p = T("aws_vpc_peering_connection_accepter").Poll(ctx, created->attributes, Phase::kCreate);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kReady);
  EXPECT_EQ(p->attributes["vpc_id"], "vpc-b");  // the accepter's side
  EXPECT_EQ(p->attributes["peer_vpc_id"], "vpc-a");
  EXPECT_EQ(p->attributes["peer_owner_id"], "111111111111");
  EXPECT_EQ(p->attributes["vpc_peering_connection_id"], "pcx-1");
  // Adopted by its id whatever its tags; excluded ids are not.
  ScriptStatus("active", "aws_vpc_peering_connection.p");
  auto found = T("aws_vpc_peering_connection_accepter").FindByAddress(ctx, desired);
  ASSERT_TRUE(found.ok() && found->has_value());
  auto other = ctx;
  other.exclude_ids = {"pcx-1"};
  auto excluded = T("aws_vpc_peering_connection_accepter").FindByAddress(other, desired);
  ASSERT_TRUE(excluded.ok());
  EXPECT_FALSE(excluded->has_value());
  auto forgotten = T("aws_vpc_peering_connection_accepter").Delete(ctx, p->attributes);
  ASSERT_TRUE(forgotten.ok());
  EXPECT_FALSE(forgotten->pending);
  ExpectWire("peering_accepter", client_->calls());
}

}  // namespace
}  // namespace infra::test
