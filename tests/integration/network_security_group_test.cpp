// aws_security_group and the ingress/egress rule types against a real
// moto_server, checked with the AWS CLI: the default egress rule is removed
// at create, SG-to-SG and CIDR rules, in-place rule changes
// (ModifySecurityGroupRules), tags, find by address, batched read, delete.
#include <gtest/gtest.h>

#include "network_fixture.h"

namespace infra::test {
namespace {

class NetworkSecurityGroupTest : public NetworkTest {
 protected:
  nlohmann::json Group(const std::string& id) {
    return Cli("describe-security-groups --group-ids " + id)["SecurityGroups"][0];
  }
  nlohmann::json Rule(const std::string& id) {
    auto j = Cli("describe-security-group-rules --filters Name=security-group-rule-id,Values=" + id);
    return j["SecurityGroupRules"].empty() ? nlohmann::json() : j["SecurityGroupRules"][0];
  }
};

TEST_F(NetworkSecurityGroupTest, GroupLifecycle) {
  std::string vpc = MakeVpc();
  Attributes desired = {{"name", "app"}, {"description", "application"}, {"vpc_id", vpc}, {"tags", {{"Tier", "app"}}}};
  Attributes g = Create("aws_security_group", "aws_security_group.app", desired);
  ASSERT_TRUE(g.is_object());
  std::string id = g["id"];
  auto cli = Group(id);
  EXPECT_EQ(cli["GroupName"], "app");
  EXPECT_EQ(cli["Description"], "application");
  EXPECT_EQ(cli["VpcId"], vpc);
  EXPECT_EQ(cli["IpPermissionsEgress"].size(), 0u) << cli.dump();  // default egress removed
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_security_group.app");
  EXPECT_EQ(g["name"], "app");
  EXPECT_EQ(g["owner_id"], cli["OwnerId"]);
  EXPECT_EQ(g["tags"], nlohmann::json({{"Tier", "app"}}));

  desired["tags"] = {{"Tier", "application"}};
  Attributes u = Update("aws_security_group", "aws_security_group.app", g, desired);
  EXPECT_EQ(TagOf(Group(id)["Tags"], "Tier"), "application");

  auto found = T("aws_security_group").FindByAddress(Ctx("aws_security_group.app"), desired);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], id);

  // Without a name, one is made from the stack and address.
  Attributes unnamed = Create("aws_security_group", "aws_security_group.x[\"k\"]", {{"vpc_id", vpc}});
  EXPECT_EQ(unnamed["name"], "infra-nettest-aws_security_group.x[k]");
  EXPECT_EQ(unnamed["description"], "Managed by infra");

  Delete("aws_security_group", "aws_security_group.app", u);
  EXPECT_EQ(Cli("describe-security-groups --filters Name=group-id,Values=" + id)["SecurityGroups"].size(), 0u);
  auto got = T("aws_security_group").Read(kPrimary, {id, unnamed["id"]});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
}

// A crash right after CreateSecurityGroup leaves the group with AWS's
// allow-all egress rule; adopting it in recovery removes that rule, so an
// identical egress rule resource does not fail with a duplicate (seen in the
// kill -9 apply test). Adopting twice is harmless.
TEST_F(NetworkSecurityGroupTest, AdoptionAfterCrashRemovesDefaultEgress) {
  std::string vpc = MakeVpc();
  auto made = Cli("create-security-group --group-name crashed --description d --vpc-id " + vpc +
                  " --tag-specifications 'ResourceType=security-group,Tags=[{Key=infra:stack,Value=nettest},"
                  "{Key=infra:address,Value=aws_security_group.crashed}]'");
  std::string id = made["GroupId"];
  ASSERT_EQ(Group(id)["IpPermissionsEgress"].size(), 1u);  // AWS's default rule is there
  Attributes desired = {{"name", "crashed"}, {"description", "d"}, {"vpc_id", vpc}};
  for (int round = 0; round < 2; ++round) {
    auto found = T("aws_security_group").FindByAddress(Ctx("aws_security_group.crashed"), desired);
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((**found)["id"], id);
    EXPECT_EQ(Group(id)["IpPermissionsEgress"].size(), 0u) << "round " << round;
  }
  Attributes rule = Create("aws_vpc_security_group_egress_rule", "aws_vpc_security_group_egress_rule.all",
                           {{"security_group_id", id}, {"ip_protocol", "-1"}, {"cidr_ipv4", "0.0.0.0/0"}});
  EXPECT_TRUE(rule.is_object() && rule.contains("id")) << rule.dump();
}

TEST_F(NetworkSecurityGroupTest, RulesChainAndInPlaceChanges) {
  std::string vpc = MakeVpc();
  std::string alb = Create("aws_security_group", "aws_security_group.alb", {{"name", "alb"}, {"vpc_id", vpc}})["id"];
  std::string app = Create("aws_security_group", "aws_security_group.app", {{"name", "app"}, {"vpc_id", vpc}})["id"];

  Attributes in = {{"security_group_id", app}, {"referenced_security_group_id", alb}, {"ip_protocol", "tcp"},
                   {"from_port", 80}, {"to_port", 80}, {"description", "from alb"}, {"tags", {{"Name", "http"}}}};
  Attributes r = Create("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_ingress_rule.app_http", in);
  ASSERT_TRUE(r.is_object());
  std::string rid = r["id"];
  EXPECT_EQ(rid.rfind("sgr-", 0), 0u) << rid;
  auto cli = Rule(rid);
  EXPECT_EQ(cli["GroupId"], app);
  EXPECT_EQ(cli["IsEgress"], false);
  EXPECT_EQ(cli["FromPort"], 80);
  EXPECT_EQ(cli["ReferencedGroupInfo"]["GroupId"], alb);
  EXPECT_EQ(TagOf(cli["Tags"], "infra:address"), "aws_vpc_security_group_ingress_rule.app_http");
  EXPECT_EQ(Group(app)["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"], alb);
  EXPECT_EQ(r["security_group_rule_id"], rid);
  EXPECT_EQ(r["referenced_security_group_id"], alb);
  EXPECT_EQ(r["from_port"], 80);
  EXPECT_EQ(r["description"], "from alb");
  EXPECT_EQ(r["tags"], nlohmann::json({{"Name", "http"}}));

  Attributes out = {{"security_group_id", app}, {"cidr_ipv4", "0.0.0.0/0"}, {"ip_protocol", "-1"}};
  Attributes e = Create("aws_vpc_security_group_egress_rule", "aws_vpc_security_group_egress_rule.app_all", out);
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(Rule(e["id"])["IsEgress"], true);
  EXPECT_EQ(Rule(e["id"])["CidrIpv4"], "0.0.0.0/0");
  EXPECT_TRUE(e["from_port"].is_null());
  // An ingress type never reads an egress rule.
  EXPECT_TRUE(ReadBack("aws_vpc_security_group_ingress_rule", e["id"]).is_null());

  // In place: port and description of the ingress rule.
  Attributes in2 = in;
  in2["from_port"] = 8080;
  in2["to_port"] = 8080;
  in2["description"] = "from alb, 8080";
  Attributes ru = Update("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_ingress_rule.app_http", r, in2);
  EXPECT_EQ(ru["id"], rid);
  cli = Rule(rid);
  EXPECT_EQ(cli["FromPort"], 8080);
  EXPECT_EQ(cli["ToPort"], 8080);
  EXPECT_EQ(cli["Description"], "from alb, 8080");

  auto found = T("aws_vpc_security_group_ingress_rule")
                   .FindByAddress(Ctx("aws_vpc_security_group_ingress_rule.app_http"), in2);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], rid);
  auto imported = T("aws_vpc_security_group_egress_rule").Import(Ctx("x"), e["id"]);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ((*imported)["ip_protocol"], "-1");

  Delete("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_ingress_rule.app_http", ru);
  EXPECT_TRUE(Rule(rid).is_null());
  EXPECT_EQ(Group(app)["IpPermissions"].size(), 0u);
  auto got = T("aws_vpc_security_group_egress_rule").Read(kPrimary, {rid, e["id"]});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
  Delete("aws_vpc_security_group_egress_rule", "aws_vpc_security_group_egress_rule.app_all", e);
  EXPECT_EQ(Group(app)["IpPermissionsEgress"].size(), 0u);
}

}  // namespace
}  // namespace infra::test
