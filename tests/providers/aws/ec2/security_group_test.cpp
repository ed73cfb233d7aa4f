// aws_security_group and its ingress/egress rules over the scripted
// client: a generated group name, the default egress rule revoked after the
// create and after adoption, a rule's sources with the description, the
// in-place ModifySecurityGroupRules (also to restore a description moto
// drops), the delete naming the group, and ingress/egress told apart on
// read. Golden wire: security_group.txt, security_group_rule.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

class SecurityGroupTest : public Ec2WireTest {
 protected:
  void ScriptGroup() {
    client_->Reply("DescribeSecurityGroups", Xml("DescribeSecurityGroups",
        "<securityGroupInfo><item><groupId>sg-1</groupId><groupName>infra-s-aws_security_group.web</groupName>"
        "<groupDescription>Managed by infra</groupDescription><vpcId>vpc-1</vpcId><ownerId>123456789012</ownerId>" +
        TagSet("aws_security_group.web") + "</item></securityGroupInfo>"));
  }
  void ScriptRule(bool egress, const std::string& source, const std::string& description) {
    client_->Reply("DescribeSecurityGroupRules", Xml("DescribeSecurityGroupRules",
        "<securityGroupRuleSet><item><securityGroupRuleId>sgr-1</securityGroupRuleId><groupId>sg-1</groupId>"
        "<groupOwnerId>123456789012</groupOwnerId><isEgress>" + std::string(egress ? "true" : "false") +
        "</isEgress><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort>" + source + description +
        TagSet(egress ? "aws_vpc_security_group_egress_rule.out" : "aws_vpc_security_group_ingress_rule.https") +
        "</item></securityGroupRuleSet>"));
  }
};

TEST_F(SecurityGroupTest, GroupCreateAdoptDeleteOnTheWire) {
  auto ctx = Ctx("aws_security_group.web");
  client_->Reply("CreateSecurityGroup", Xml("CreateSecurityGroup", "<groupId>sg-1</groupId>"));
  Ok("RevokeSecurityGroupEgress");
  ScriptGroup();
  nlohmann::json desired = {{"vpc_id", "vpc-1"}, {"tags", {{"Name", "n"}}}};
  auto created = T("aws_security_group").Create(ctx, desired);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes, (nlohmann::json{
      {"id", "sg-1"}, {"name", "infra-s-aws_security_group.web"}, {"description", "Managed by infra"},
      {"vpc_id", "vpc-1"}, {"owner_id", "123456789012"},
      {"arn", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1"}, {"tags", {{"Name", "n"}}}}));
  // Adopted after a crash: the default egress rule may still be there
  // (already revoked reads as not found, which is fine).
  ScriptGroup();
  client_->Fail("RevokeSecurityGroupEgress", "InvalidPermission.NotFound", Error::Kind::kNotFound);
  auto found = T("aws_security_group").FindByAddress(ctx, desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  Ok("DeleteSecurityGroup");
  ASSERT_TRUE(T("aws_security_group").Delete(ctx, created->attributes).ok());
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("security_group", client_->calls());
}

TEST_F(SecurityGroupTest, RuleCreateModifyDeleteOnTheWire) {
  auto ctx = Ctx("aws_vpc_security_group_ingress_rule.https");
  client_->Reply("AuthorizeSecurityGroupIngress", Xml("AuthorizeSecurityGroupIngress",
      "<securityGroupRuleSet><item><securityGroupRuleId>sgr-1</securityGroupRuleId></item></securityGroupRuleSet>"));
  ScriptRule(false, "<cidrIpv4>10.0.0.0/8</cidrIpv4>", "<description>https</description>");
  nlohmann::json desired = {{"security_group_id", "sg-1"}, {"ip_protocol", "tcp"}, {"from_port", 443},
                            {"to_port", 443}, {"cidr_ipv4", "10.0.0.0/8"}, {"description", "https"},
                            {"tags", {{"Name", "n"}}}};
  auto created = T("aws_vpc_security_group_ingress_rule").Create(ctx, desired);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes, (nlohmann::json{
      {"id", "sgr-1"}, {"security_group_rule_id", "sgr-1"}, {"security_group_id", "sg-1"}, {"ip_protocol", "tcp"},
      {"from_port", 443}, {"to_port", 443}, {"cidr_ipv4", "10.0.0.0/8"}, {"cidr_ipv6", nullptr},
      {"prefix_list_id", nullptr}, {"referenced_security_group_id", nullptr}, {"description", "https"},
      {"arn", "arn:aws:ec2:eu-west-1:123456789012:security-group-rule/sgr-1"}, {"tags", {{"Name", "n"}}}}));
  auto next = desired;
  next["from_port"] = 8443;
  next["to_port"] = 8443;
  Ok("ModifySecurityGroupRules");
  ScriptRule(false, "<cidrIpv4>10.0.0.0/8</cidrIpv4>", "<description>https</description>");
  ASSERT_TRUE(T("aws_vpc_security_group_ingress_rule").Update(ctx, created->attributes, next).ok());
  Ok("RevokeSecurityGroupIngress");
  ASSERT_TRUE(T("aws_vpc_security_group_ingress_rule").Delete(ctx, created->attributes).ok());
  // An egress rule read by the ingress type is not one of its resources.
  ScriptRule(true, "", "");
  auto read = T("aws_vpc_security_group_ingress_rule").Read("eu-west-1", {"sgr-1"});
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("security_group_rule", client_->calls());
}

TEST_F(SecurityGroupTest, EgressRuleToAGroupRestoresADroppedDescription) {
  auto ctx = Ctx("aws_vpc_security_group_egress_rule.out");
  client_->Reply("AuthorizeSecurityGroupEgress", Xml("AuthorizeSecurityGroupEgress",
      "<securityGroupRuleSet><item><securityGroupRuleId>sgr-1</securityGroupRuleId></item></securityGroupRuleSet>"));
  ScriptRule(true, "<referencedGroupInfo><groupId>sg-2</groupId></referencedGroupInfo>", "");
  Ok("ModifySecurityGroupRules");
  ScriptRule(true, "<referencedGroupInfo><groupId>sg-2</groupId></referencedGroupInfo>", "<description>db</description>");
  auto created = T("aws_vpc_security_group_egress_rule").Create(ctx, {
      {"security_group_id", "sg-1"}, {"ip_protocol", "tcp"}, {"from_port", 443}, {"to_port", 443},
      {"referenced_security_group_id", "sg-2"}, {"description", "db"}, {"tags", {{"Name", "n"}}}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes["description"], "db");
  EXPECT_EQ(created->attributes["referenced_security_group_id"], "sg-2");
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("security_group_rule_egress", client_->calls());
}

// The fault campaign: a rule adopted after a lost reply gets the
// description moto dropped, as a created one does.
TEST_F(SecurityGroupTest, AdoptedRuleToAGroupRestoresADroppedDescription) {
  auto ctx = Ctx("aws_vpc_security_group_egress_rule.out");
  ScriptRule(true, "<referencedGroupInfo><groupId>sg-2</groupId></referencedGroupInfo>", "");
  Ok("ModifySecurityGroupRules");
  auto found = T("aws_vpc_security_group_egress_rule").FindByAddress(ctx, {
      {"security_group_id", "sg-1"}, {"ip_protocol", "tcp"}, {"from_port", 443}, {"to_port", 443},
      {"referenced_security_group_id", "sg-2"}, {"description", "db"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["description"], "db");
  EXPECT_EQ(client_->calls().back().action, "ModifySecurityGroupRules");
  EXPECT_EQ(client_->remaining(), 0u);
}

}  // namespace
}  // namespace infra::test
