// The ELBv2 family over a scripted client: golden query-protocol parameters
// of each create and update, reads mapped from recorded replies (tags from
// DescribeTags, attributes from Describe*Attributes), the wait for
// `active`, batches of 20 ARNs, deletion protection, the target group's
// ResourceInUse retry, adoption of the twin carrying this address's tags,
// and rules' listener ARN taken from their own ARN.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using test::ScriptedAwsClient;
using provider::PollStatus;

const std::string kLb = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const std::string kTg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/73e2d6bc24d8a067";
const std::string kListener =
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const std::string kRule =
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/"
    "9683b2d02a6cabee";

std::string Lb(const std::string& arn, const std::string& state) {
  return "<member><LoadBalancerArn>" + arn + "</LoadBalancerArn><DNSName>web-1.eu-west-1.elb.amazonaws.com</DNSName>"
         "<CanonicalHostedZoneId>Z32O12XQLNTSW2</CanonicalHostedZoneId><LoadBalancerName>web</LoadBalancerName>"
         "<Scheme>internet-facing</Scheme><VpcId>vpc-1</VpcId><State><Code>" + state + "</Code></State>"
         "<Type>application</Type><AvailabilityZones><member><ZoneName>eu-west-1a</ZoneName><SubnetId>subnet-a"
         "</SubnetId></member><member><ZoneName>eu-west-1b</ZoneName><SubnetId>subnet-b</SubnetId></member>"
         "</AvailabilityZones><SecurityGroups><member>sg-1</member></SecurityGroups></member>";
}
std::string DescribeLbs(const std::string& members) {
  return "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers>" + members +
         "</LoadBalancers></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>";
}
std::string Tags(const std::string& arn, const std::string& address, const std::string& extra = "") {
  return "<member><ResourceArn>" + arn + "</ResourceArn><Tags><member><Key>infra:address</Key><Value>" + address +
         "</Value></member><member><Key>infra:stack</Key><Value>s</Value></member>" + extra + "</Tags></member>";
}
std::string DescribeTags(const std::string& members) {
  return "<DescribeTagsResponse><DescribeTagsResult><TagDescriptions>" + members +
         "</TagDescriptions></DescribeTagsResult></DescribeTagsResponse>";
}
std::string Attrs(const std::string& action, const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string s = "<" + action + "Response><" + action + "Result><Attributes>";
  for (const auto& [k, v] : kv) s += "<member><Key>" + k + "</Key><Value>" + v + "</Value></member>";
  return s + "</Attributes></" + action + "Result></" + action + "Response>";
}
std::string LbAttrs(const std::string& protection = "false") {
  return Attrs("DescribeLoadBalancerAttributes",
               {{"idle_timeout.timeout_seconds", "120"}, {"deletion_protection.enabled", protection},
                {"routing.http.drop_invalid_header_fields.enabled", "true"}, {"access_logs.s3.bucket", "logs"},
                {"access_logs.s3.prefix", ""}, {"access_logs.s3.enabled", "true"}});
}

class Elbv2TypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  // The reads that follow a describe of one load balancer.
  void ScriptLbReadTail(const std::string& protection = "false") {
    client_->Reply("DescribeTags", DescribeTags(Tags(kLb, "aws_lb.web", "<member><Key>team</Key><Value>a</Value>"
                                                                          "</member>")));
    client_->Reply("DescribeLoadBalancerAttributes", LbAttrs(protection));
  }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(Elbv2TypesTest, LoadBalancerCreateSendsGoldenParamsThenWaitsForActive) {
  client_->Reply("CreateLoadBalancer", "<CreateLoadBalancerResponse><CreateLoadBalancerResult><LoadBalancers>" +
                                           Lb(kLb, "provisioning") + "</LoadBalancers></CreateLoadBalancerResult>"
                                           "</CreateLoadBalancerResponse>");
  client_->Reply("ModifyLoadBalancerAttributes", "<ModifyLoadBalancerAttributesResponse/>");
  nlohmann::json desired = {{"name", "web"}, {"internal", false}, {"load_balancer_type", "application"},
                            {"subnets", {"subnet-a", "subnet-b"}}, {"security_groups", {"sg-1"}},
                            {"idle_timeout", 120}, {"enable_deletion_protection", false},
                            {"drop_invalid_header_fields", true},
                            {"access_logs", {{"bucket", "logs"}, {"enabled", true}}}, {"tags", {{"team", "a"}}}};
  auto r = T("aws_lb").Create(Ctx("aws_lb.web"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending) << "the wait for `active` runs through Poll";
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].service, "elasticloadbalancing");
  EXPECT_FALSE(calls[0].idempotent);
  EXPECT_EQ(calls[0].params, (QueryParams{{"Name", "web"}, {"Type", "application"}, {"Subnets.member.1", "subnet-a"},
                                          {"Subnets.member.2", "subnet-b"}, {"SecurityGroups.member.1", "sg-1"},
                                          {"Scheme", "internet-facing"}, {"Tags.member.1.Key", "infra:address"},
                                          {"Tags.member.1.Value", "aws_lb.web"}, {"Tags.member.2.Key", "infra:stack"},
                                          {"Tags.member.2.Value", "s"}, {"Tags.member.3.Key", "team"},
                                          {"Tags.member.3.Value", "a"}}));
  EXPECT_EQ(calls[1].params,
            (QueryParams{{"LoadBalancerArn", kLb},
                         {"Attributes.member.1.Key", "idle_timeout.timeout_seconds"}, {"Attributes.member.1.Value", "120"},
                         {"Attributes.member.2.Key", "deletion_protection.enabled"}, {"Attributes.member.2.Value", "false"},
                         {"Attributes.member.3.Key", "routing.http.drop_invalid_header_fields.enabled"},
                         {"Attributes.member.3.Value", "true"},
                         {"Attributes.member.4.Key", "access_logs.s3.bucket"}, {"Attributes.member.4.Value", "logs"},
                         {"Attributes.member.5.Key", "access_logs.s3.enabled"}, {"Attributes.member.5.Value", "true"}}));

  client_->Reply("DescribeLoadBalancers", DescribeLbs(Lb(kLb, "provisioning")));
  ScriptLbReadTail();
  auto poll = T("aws_lb").Poll(Ctx("aws_lb.web"), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(poll.ok()) << poll.error().ToString();
  EXPECT_EQ(poll->status, PollStatus::kPending);
  client_->Reply("DescribeLoadBalancers", DescribeLbs(Lb(kLb, "active")));
  ScriptLbReadTail();
  poll = T("aws_lb").Poll(Ctx("aws_lb.web"), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(poll.ok()) << poll.error().ToString();
  EXPECT_EQ(poll->status, PollStatus::kReady);
  const auto& a = poll->attributes;
  EXPECT_EQ(a["id"], kLb);
  EXPECT_EQ(a["arn"], kLb);
  EXPECT_EQ(a["arn_suffix"], "app/web/50dc6c495c0c9188");
  EXPECT_EQ(a["dns_name"], "web-1.eu-west-1.elb.amazonaws.com");
  EXPECT_EQ(a["zone_id"], "Z32O12XQLNTSW2");
  EXPECT_EQ(a["internal"], false);
  EXPECT_EQ(a["subnets"], nlohmann::json({"subnet-a", "subnet-b"}));
  EXPECT_EQ(a["security_groups"], nlohmann::json({"sg-1"}));
  EXPECT_EQ(a["idle_timeout"], 120);
  EXPECT_EQ(a["drop_invalid_header_fields"], true);
  EXPECT_EQ(a["access_logs"], nlohmann::json({{"bucket", "logs"}, {"enabled", true}}));
  EXPECT_EQ(a["tags"], nlohmann::json({{"team", "a"}}));
  EXPECT_EQ(client_->calls()[2].params, (QueryParams{{"LoadBalancerArns.member.1", kLb}}));
  EXPECT_EQ(client_->calls()[3].params, (QueryParams{{"ResourceArns.member.1", kLb}}));
}

TEST_F(Elbv2TypesTest, ReadBatchesTwentyArnsPerDescribeAndPerDescribeTags) {
  std::vector<std::string> arns;
  std::string first, second, tags_first, tags_second;
  for (int i = 0; i < 25; ++i) {
    arns.push_back(kLb + std::to_string(i));
    (i < 20 ? first : second) += Lb(arns.back(), "active");
    (i < 20 ? tags_first : tags_second) += Tags(arns.back(), "aws_lb.web");
  }
  client_->Reply("DescribeLoadBalancers", DescribeLbs(first));
  client_->Reply("DescribeLoadBalancers", DescribeLbs(second));
  client_->Reply("DescribeTags", DescribeTags(tags_first));
  client_->Reply("DescribeTags", DescribeTags(tags_second));
  for (int i = 0; i < 25; ++i) client_->Reply("DescribeLoadBalancerAttributes", LbAttrs());
  auto got = T("aws_lb").Read("eu-west-1", arns);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 25u);
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 29u);
  EXPECT_EQ(calls[0].Param("LoadBalancerArns.member.20"), arns[19]);
  EXPECT_EQ(calls[0].Param("LoadBalancerArns.member.21"), "");
  EXPECT_EQ(calls[1].Param("LoadBalancerArns.member.5"), arns[24]);
  EXPECT_EQ(calls[2].action, "DescribeTags");
  EXPECT_NE(calls[2].Param("ResourceArns.member.20"), "");
  EXPECT_EQ(calls[2].Param("ResourceArns.member.21"), "");
  EXPECT_EQ(calls[3].action, "DescribeTags");
  EXPECT_EQ(calls[3].params.size(), 5u);
  EXPECT_EQ((*got)[arns[24]]["tags"], nullptr) << "infra:* tags are not user tags";
}

TEST_F(Elbv2TypesTest, DeletionProtectionRefusesTheDeleteNamingTheAttribute) {
  client_->Reply("DescribeLoadBalancerAttributes", LbAttrs("true"));
  auto r = T("aws_lb").Delete(Ctx("aws_lb.web"), {{"id", kLb}, {"enable_deletion_protection", true}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("enable_deletion_protection"), std::string::npos) << r.error().message;
  EXPECT_EQ(client_->calls().size(), 1u) << "no DeleteLoadBalancer call";

  client_->Reply("DescribeLoadBalancerAttributes", LbAttrs("false"));
  client_->Reply("DeleteLoadBalancer", "<DeleteLoadBalancerResponse/>");
  r = T("aws_lb").Delete(Ctx("aws_lb.web"), {{"id", kLb}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls()[2].params, (QueryParams{{"LoadBalancerArn", kLb}}));
}

TEST_F(Elbv2TypesTest, LoadBalancerUpdatesTagsByArnSubnetsAndAttributesInPlace) {
  nlohmann::json prior = {{"id", kLb}, {"name", "web"}, {"subnets", {"subnet-a", "subnet-b"}},
                          {"security_groups", {"sg-1"}}, {"idle_timeout", 60}, {"tags", {{"team", "a"}, {"old", "x"}}}};
  nlohmann::json desired = prior;
  desired["subnets"] = {"subnet-b", "subnet-c"};
  desired["security_groups"] = {"sg-1"};
  desired["idle_timeout"] = 120;
  desired["tags"] = {{"team", "b"}};
  client_->Reply("RemoveTags", "<RemoveTagsResponse/>");
  client_->Reply("AddTags", "<AddTagsResponse/>");
  client_->Reply("SetSubnets", "<SetSubnetsResponse/>");
  client_->Reply("ModifyLoadBalancerAttributes", "<ModifyLoadBalancerAttributesResponse/>");
  client_->Reply("DescribeLoadBalancers", DescribeLbs(Lb(kLb, "active")));
  ScriptLbReadTail();
  auto r = T("aws_lb").Update(Ctx("aws_lb.web"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 7u);
  EXPECT_EQ(calls[0].params, (QueryParams{{"ResourceArns.member.1", kLb}, {"TagKeys.member.1", "old"}}));
  EXPECT_EQ(calls[1].params,
            (QueryParams{{"ResourceArns.member.1", kLb}, {"Tags.member.1.Key", "team"}, {"Tags.member.1.Value", "b"}}));
  EXPECT_EQ(calls[2].params,
            (QueryParams{{"LoadBalancerArn", kLb}, {"Subnets.member.1", "subnet-b"}, {"Subnets.member.2", "subnet-c"}}));
  EXPECT_EQ(calls[3].Param("Attributes.member.1.Value"), "120");
}

TEST_F(Elbv2TypesTest, AdoptionPicksTheSameNamedTwinCarryingThisAddress) {
  const std::string twin = kLb + "0";
  client_->Reply("DescribeLoadBalancers", DescribeLbs(Lb(twin, "active") + Lb(kLb, "active")));
  client_->Reply("DescribeTags", DescribeTags(Tags(twin, "aws_lb.other") + Tags(kLb, "aws_lb.web")));
  client_->Reply("DescribeLoadBalancers", DescribeLbs(Lb(kLb, "active")));
  ScriptLbReadTail();
  auto found = T("aws_lb").FindByAddress(Ctx("aws_lb.web"), {{"name", "web"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], kLb);
  EXPECT_EQ(client_->calls()[0].params, (QueryParams{{"Names.member.1", "web"}}));

  client_->Fail("DescribeLoadBalancers", "LoadBalancerNotFound", Error::Kind::kNotFound);
  found = T("aws_lb").FindByAddress(Ctx("aws_lb.web"), {{"name", "web"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_FALSE(found->has_value());
}

TEST_F(Elbv2TypesTest, TargetGroupHealthCheckIsFlatOnTheWireAndInUseDeleteIsRetried) {
  client_->Reply("CreateTargetGroup", "<CreateTargetGroupResponse><CreateTargetGroupResult><TargetGroups><member>"
                                      "<TargetGroupArn>" + kTg + "</TargetGroupArn></member></TargetGroups>"
                                      "</CreateTargetGroupResult></CreateTargetGroupResponse>");
  client_->Reply("ModifyTargetGroupAttributes", "<ModifyTargetGroupAttributesResponse/>");
  client_->Reply("DescribeTargetGroups",
                 "<DescribeTargetGroupsResponse><DescribeTargetGroupsResult><TargetGroups><member><TargetGroupArn>" +
                     kTg + "</TargetGroupArn><TargetGroupName>app</TargetGroupName><Protocol>HTTP</Protocol><Port>80"
                     "</Port><VpcId>vpc-1</VpcId><HealthCheckProtocol>HTTP</HealthCheckProtocol><HealthCheckPort>"
                     "traffic-port</HealthCheckPort><HealthCheckEnabled>true</HealthCheckEnabled>"
                     "<HealthCheckIntervalSeconds>15</HealthCheckIntervalSeconds><HealthCheckTimeoutSeconds>5"
                     "</HealthCheckTimeoutSeconds><HealthyThresholdCount>2</HealthyThresholdCount>"
                     "<UnhealthyThresholdCount>3</UnhealthyThresholdCount><HealthCheckPath>/health.php"
                     "</HealthCheckPath><Matcher><HttpCode>200-299</HttpCode></Matcher><TargetType>ip</TargetType>"
                     "</member></TargetGroups></DescribeTargetGroupsResult></DescribeTargetGroupsResponse>");
  client_->Reply("DescribeTags", DescribeTags(Tags(kTg, "aws_lb_target_group.app")));
  client_->Reply("DescribeTargetGroupAttributes",
                 Attrs("DescribeTargetGroupAttributes", {{"deregistration_delay.timeout_seconds", "30"},
                                                         {"stickiness.enabled", "false"},
                                                         {"stickiness.type", "lb_cookie"}}));
  nlohmann::json desired = {{"name", "app"}, {"port", 80}, {"protocol", "HTTP"}, {"vpc_id", "vpc-1"},
                            {"target_type", "ip"}, {"deregistration_delay", 30},
                            {"health_check", {{"path", "/health.php"}, {"matcher", "200-299"}, {"interval", 15},
                                              {"healthy_threshold", 2}, {"unhealthy_threshold", 3}}}};
  auto r = T("aws_lb_target_group").Create(Ctx("aws_lb_target_group.app"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].params,
            (QueryParams{{"Name", "app"}, {"Port", "80"}, {"Protocol", "HTTP"}, {"VpcId", "vpc-1"}, {"TargetType", "ip"},
                         {"HealthCheckPath", "/health.php"}, {"Matcher.HttpCode", "200-299"},
                         {"HealthCheckIntervalSeconds", "15"}, {"HealthyThresholdCount", "2"},
                         {"UnhealthyThresholdCount", "3"}, {"Tags.member.1.Key", "infra:address"},
                         {"Tags.member.1.Value", "aws_lb_target_group.app"}, {"Tags.member.2.Key", "infra:stack"},
                         {"Tags.member.2.Value", "s"}}));
  EXPECT_EQ(calls[1].params, (QueryParams{{"TargetGroupArn", kTg},
                                          {"Attributes.member.1.Key", "deregistration_delay.timeout_seconds"},
                                          {"Attributes.member.1.Value", "30"}}));
  const auto& a = r->attributes;
  EXPECT_EQ(a["arn_suffix"], "targetgroup/app/73e2d6bc24d8a067");
  EXPECT_EQ(a["health_check"]["path"], "/health.php");
  EXPECT_EQ(a["health_check"]["matcher"], "200-299");
  EXPECT_EQ(a["health_check"]["timeout"], 5);
  EXPECT_EQ(a["health_check"]["enabled"], true);
  EXPECT_EQ(a["deregistration_delay"], 30);
  EXPECT_EQ(a["stickiness"], nlohmann::json({{"type", "lb_cookie"}, {"enabled", false}}));

  client_->Fail("DeleteTargetGroup", "ResourceInUse", Error::Kind::kConflict);
  auto del = T("aws_lb_target_group").Delete(Ctx("aws_lb_target_group.app"), a);
  ASSERT_TRUE(del.ok()) << del.error().ToString();
  EXPECT_TRUE(del->pending) << "a listener still forwards here: retried through Poll";
  client_->Reply("DeleteTargetGroup", "<DeleteTargetGroupResponse/>");
  auto poll = T("aws_lb_target_group").Poll(Ctx("aws_lb_target_group.app"), a, provider::Phase::kDelete);
  ASSERT_TRUE(poll.ok()) << poll.error().ToString();
  EXPECT_EQ(poll->status, PollStatus::kReady);
}

TEST_F(Elbv2TypesTest, ListenerActionsAreMembersInOrderAndReadBackSorted) {
  client_->Reply("CreateListener", "<CreateListenerResponse><CreateListenerResult><Listeners><member><ListenerArn>" +
                                       kListener + "</ListenerArn></member></Listeners></CreateListenerResult>"
                                       "</CreateListenerResponse>");
  client_->Reply("DescribeListeners",
                 "<DescribeListenersResponse><DescribeListenersResult><Listeners><member><ListenerArn>" + kListener +
                     "</ListenerArn><LoadBalancerArn>" + kLb + "</LoadBalancerArn><Port>443</Port><Protocol>HTTPS"
                     "</Protocol><Certificates><member><CertificateArn>arn:cert</CertificateArn></member>"
                     "</Certificates><SslPolicy>ELBSecurityPolicy-2016-08</SslPolicy><DefaultActions>"
                     "<member><Type>forward</Type><TargetGroupArn>" + kTg + "</TargetGroupArn><Order>2</Order></member>"
                     "<member><Type>redirect</Type><Order>1</Order><RedirectConfig><Protocol>HTTPS</Protocol><Port>443"
                     "</Port><Host>#{host}</Host><Path>/#{path}</Path><Query>#{query}</Query><StatusCode>HTTP_301"
                     "</StatusCode></RedirectConfig></member></DefaultActions></member></Listeners>"
                     "</DescribeListenersResult></DescribeListenersResponse>");
  client_->Reply("DescribeTags", DescribeTags(Tags(kListener, "aws_lb_listener.https")));
  nlohmann::json actions = {{{"type", "redirect"}, {"redirect", {{"protocol", "HTTPS"}, {"port", "443"},
                                                                 {"status_code", "HTTP_301"}}}},
                            {{"type", "forward"}, {"target_group_arn", kTg}}};
  auto r = T("aws_lb_listener").Create(Ctx("aws_lb_listener.https"),
                                       {{"load_balancer_arn", kLb}, {"port", 443}, {"protocol", "HTTPS"},
                                        {"certificate_arn", "arn:cert"}, {"default_action", actions}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls()[0].params,
            (QueryParams{{"LoadBalancerArn", kLb}, {"Port", "443"}, {"Protocol", "HTTPS"},
                         {"Certificates.member.1.CertificateArn", "arn:cert"},
                         {"DefaultActions.member.1.Type", "redirect"},
                         {"DefaultActions.member.1.RedirectConfig.Protocol", "HTTPS"},
                         {"DefaultActions.member.1.RedirectConfig.Port", "443"},
                         {"DefaultActions.member.1.RedirectConfig.StatusCode", "HTTP_301"},
                         {"DefaultActions.member.1.Order", "1"}, {"DefaultActions.member.2.Type", "forward"},
                         {"DefaultActions.member.2.TargetGroupArn", kTg}, {"DefaultActions.member.2.Order", "2"},
                         {"Tags.member.1.Key", "infra:address"}, {"Tags.member.1.Value", "aws_lb_listener.https"},
                         {"Tags.member.2.Key", "infra:stack"}, {"Tags.member.2.Value", "s"}}));
  const auto& a = r->attributes;
  EXPECT_EQ(a["certificate_arn"], "arn:cert");
  EXPECT_EQ(a["ssl_policy"], "ELBSecurityPolicy-2016-08");
  ASSERT_EQ(a["default_action"].size(), 2u);
  EXPECT_EQ(a["default_action"][0]["type"], "redirect");
  EXPECT_EQ(a["default_action"][0]["redirect"]["host"], "#{host}");
  EXPECT_EQ(a["default_action"][1]["target_group_arn"], kTg);
  const auto& schema = *T("aws_lb_listener").schema().Find("default_action");
  EXPECT_TRUE(provider::SameValue(schema, actions, a["default_action"])) << "AWS's redirect defaults are no change";
}

TEST_F(Elbv2TypesTest, RuleConditionsAndTheListenerArnFromTheRuleArn) {
  std::string rule = "<DescribeRulesResponse><DescribeRulesResult><Rules><member><RuleArn>" + kRule +
                     "</RuleArn><Priority>10</Priority><Conditions><member><Field>path-pattern</Field>"
                     "<PathPatternConfig><Values><member>/api/*</member></Values></PathPatternConfig></member>"
                     "<member><Field>host-header</Field><Values><member>example.com</member></Values></member>"
                     "</Conditions><Actions><member><Type>fixed-response</Type><FixedResponseConfig><ContentType>"
                     "text/plain</ContentType><StatusCode>503</StatusCode></FixedResponseConfig></member></Actions>"
                     "<IsDefault>false</IsDefault></member></Rules></DescribeRulesResult></DescribeRulesResponse>";
  client_->Reply("DescribeRules", rule);
  client_->Reply("DescribeTags", DescribeTags(""));
  client_->Reply("AddTags", "<AddTagsResponse/>");  // an import is tagged infra:stack / infra:address
  auto got = T("aws_lb_listener_rule").Import(Ctx("aws_lb_listener_rule.api"), kRule);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["listener_arn"], kListener);
  EXPECT_EQ((*got)["priority"], 10);
  EXPECT_EQ((*got)["condition"], nlohmann::json::parse(R"([{"path_pattern":{"values":["/api/*"]}},
                                                            {"host_header":{"values":["example.com"]}}])"));
  EXPECT_EQ((*got)["action"][0]["fixed_response"]["status_code"], "503");

  nlohmann::json desired = *got;
  desired["priority"] = 20;
  desired["condition"][0]["path_pattern"]["values"] = {"/v2/*"};
  client_->Reply("SetRulePriorities", "<SetRulePrioritiesResponse/>");
  client_->Reply("ModifyRule", "<ModifyRuleResponse/>");
  client_->Reply("DescribeRules", rule);
  client_->Reply("DescribeTags", DescribeTags(""));
  auto r = T("aws_lb_listener_rule").Update(Ctx("aws_lb_listener_rule.api"), *got, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  EXPECT_EQ(calls[2].params, (QueryParams{{"ResourceArns.member.1", kRule},  // the import's infra:* tags
                                          {"Tags.member.1.Key", "infra:address"},
                                          {"Tags.member.1.Value", "aws_lb_listener_rule.api"},
                                          {"Tags.member.2.Key", "infra:stack"},
                                          {"Tags.member.2.Value", "s"}}));
  EXPECT_EQ(calls[3].params, (QueryParams{{"RulePriorities.member.1.RuleArn", kRule},
                                          {"RulePriorities.member.1.Priority", "20"}}));
  EXPECT_EQ(calls[4].params,
            (QueryParams{{"RuleArn", kRule}, {"Conditions.member.1.Field", "path-pattern"},
                         {"Conditions.member.1.PathPatternConfig.Values.member.1", "/v2/*"},
                         {"Conditions.member.2.Field", "host-header"},
                         {"Conditions.member.2.HostHeaderConfig.Values.member.1", "example.com"},
                         {"Actions.member.1.Type", "fixed-response"},
                         {"Actions.member.1.FixedResponseConfig.ContentType", "text/plain"},
                         {"Actions.member.1.FixedResponseConfig.StatusCode", "503"}, {"Actions.member.1.Order", "1"}}));
}

TEST_F(Elbv2TypesTest, RuleWithoutPriorityTakesTheOneAfterTheListenersHighest) {
  client_->Reply("DescribeRules", "<DescribeRulesResponse><DescribeRulesResult><Rules>"
                                  "<member><RuleArn>r1</RuleArn><Priority>7</Priority></member>"
                                  "<member><RuleArn>r0</RuleArn><Priority>default</Priority></member>"
                                  "</Rules></DescribeRulesResult></DescribeRulesResponse>");
  client_->Reply("CreateRule", "<CreateRuleResponse><CreateRuleResult><Rules><member><RuleArn>" + kRule +
                                   "</RuleArn></member></Rules></CreateRuleResult></CreateRuleResponse>");
  client_->Reply("DescribeRules", "<DescribeRulesResponse><DescribeRulesResult><Rules><member><RuleArn>" + kRule +
                                      "</RuleArn><Priority>8</Priority></member></Rules></DescribeRulesResult>"
                                      "</DescribeRulesResponse>");
  client_->Reply("DescribeTags", DescribeTags(""));
  auto r = T("aws_lb_listener_rule").Create(
      Ctx("aws_lb_listener_rule.api"),
      {{"listener_arn", kListener}, {"action", {{{"type", "forward"}, {"target_group_arn", kTg}}}},
       {"condition", {{{"path_pattern", {{"values", {"/api/*"}}}}}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].params, (QueryParams{{"ListenerArn", kListener}}));
  EXPECT_EQ(calls[1].Param("Priority"), "8");
  EXPECT_EQ(r->attributes["priority"], 8);
}

}  // namespace
}  // namespace infra::aws
