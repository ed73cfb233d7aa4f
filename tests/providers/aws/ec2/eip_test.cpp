// aws_eip over the scripted client: allocate in the VPC domain (the default
// when domain is unset), the public DNS name derived from the address, a
// tag update, and a release retried while a NAT gateway still holds the
// address. Golden wire: eip.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

using provider::Phase;
using provider::PollStatus;

class EipTest : public Ec2WireTest {
 protected:
  void ScriptRead(const std::string& tags) {
    client_->Reply("DescribeAddresses", Xml("DescribeAddresses",
        "<addressesSet><item><allocationId>eipalloc-1</allocationId><domain>vpc</domain><publicIp>203.0.113.7</publicIp>"
        "<networkBorderGroup>eu-west-1</networkBorderGroup><publicIpv4Pool>amazon</publicIpv4Pool>" +
        TagSet("aws_eip.ip", tags) + "</item></addressesSet>"));
  }
};

TEST_F(EipTest, AllocateTagReleaseOnTheWire) {
  auto ctx = Ctx("aws_eip.ip");
  client_->Reply("AllocateAddress", Xml("AllocateAddress", "<allocationId>eipalloc-1</allocationId>"));
  ScriptRead("");
  auto created = T("aws_eip").Create(ctx, {{"network_border_group", "eu-west-1"}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes, (nlohmann::json{
      {"id", "eipalloc-1"}, {"allocation_id", "eipalloc-1"}, {"domain", "vpc"}, {"public_ip", "203.0.113.7"},
      {"public_dns", "ec2-203-0-113-7.eu-west-1.compute.amazonaws.com"}, {"private_ip", nullptr},
      {"association_id", nullptr}, {"network_border_group", "eu-west-1"}, {"public_ipv4_pool", "amazon"},
      {"tags", nullptr}}));
  Ok("CreateTags");
  ScriptRead("<item><key>Name</key><value>n</value></item>");
  auto tagged = T("aws_eip").Update(ctx, created->attributes, {{"domain", "vpc"}, {"tags", {{"Name", "n"}}}});
  ASSERT_TRUE(tagged.ok()) << tagged.error().ToString();
  EXPECT_EQ(tagged->attributes["tags"], (nlohmann::json{{"Name", "n"}}));
  client_->Fail("ReleaseAddress", "InvalidIPAddress.InUse", Error::Kind::kConflict);
  auto deleted = T("aws_eip").Delete(ctx, tagged->attributes);
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_TRUE(deleted->pending);
  client_->Fail("ReleaseAddress", "AuthFailure", Error::Kind::kAuth);
  auto waiting = T("aws_eip").Poll(ctx, tagged->attributes, Phase::kDelete);
  ASSERT_TRUE(waiting.ok()) << waiting.error().ToString();
  EXPECT_EQ(waiting->status, PollStatus::kPending);
  Ok("ReleaseAddress");
  auto gone = T("aws_eip").Poll(ctx, tagged->attributes, Phase::kDelete);
  ASSERT_TRUE(gone.ok()) << gone.error().ToString();
  EXPECT_EQ(gone->status, PollStatus::kReady);
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("eip", client_->calls());
}

}  // namespace
}  // namespace infra::test
