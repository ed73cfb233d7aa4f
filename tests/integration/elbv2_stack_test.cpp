// The ELBv2 family end to end through the `infra` binary against moto_server,
// checked with boto3: an ALB, a target group (ip, health check on
// /health.php), an HTTP listener and a listener rule. Create -> read back
// with the declared attributes -> no-op plan -> in-place updates ->
// replacement where forced -> deletion protection refusing destroy ->
// delete -> gone; and import of objects made outside infra.
#include <gtest/gtest.h>

#include "elbv2_fixture.h"

namespace infra::test {
namespace {

std::string LifecycleStack() {
  return std::string(R"(stack: elbv2-test
regions:
  primary: eu-central-1
variables:
  idle_timeout: {type: number, default: 60}
  health_path: {type: string, default: /health.php}
  priority: {type: number, default: 10}
  internal: {type: bool, default: false}
  protection: {type: bool, default: false}
resources:)") + kElbv2Network + R"(
  web:
    type: aws_lb
    name: web
    internal: ${var.internal}
    subnets:
      - ${subnet_a.id}
      - ${subnet_b.id}
    security_groups:
      - ${sg.id}
    idle_timeout: ${var.idle_timeout}
    enable_deletion_protection: ${var.protection}
    drop_invalid_header_fields: true
    tags: {team: web}
  app:
    type: aws_lb_target_group
    name: app
    port: 80
    protocol: HTTP
    vpc_id: ${vpc.id}
    target_type: ip
    deregistration_delay: 30
    health_check:
      path: ${var.health_path}
      matcher: 200-299
      interval: 15
      timeout: 5
      healthy_threshold: 2
      unhealthy_threshold: 3
    stickiness:
      type: lb_cookie
      cookie_duration: 3600
      enabled: true
    tags: {team: app}
  http:
    type: aws_lb_listener
    load_balancer_arn: ${web.arn}
    port: 80
    protocol: HTTP
    default_action:
      - type: forward
        target_group_arn: ${app.arn}
  maintenance:
    type: aws_lb_listener_rule
    listener_arn: ${http.arn}
    priority: ${var.priority}
    action:
      - type: fixed-response
        fixed_response:
          content_type: text/plain
          message_body: down for maintenance
          status_code: "503"
    condition:
      - path_pattern:
          values: [/maintenance/*]
      - host_header:
          values: [www.example.com]
outputs:
  dns_name: ${web.dns_name}
  arn_suffix: ${web.arn_suffix}
)";
}

class Elbv2StackTest : public Elbv2Test {};

TEST_F(Elbv2StackTest, LifecycleCreateNoOpUpdateReplaceProtectDestroy) {
  WriteStack(LifecycleStack());
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Snapshot();
  ASSERT_EQ(s["lbs"]["web"].size(), 1u) << s.dump(2);
  const auto lb = s["lbs"]["web"][0];
  EXPECT_EQ(lb["scheme"], "internet-facing");
  EXPECT_EQ(lb["type"], "application");
  EXPECT_EQ(lb["subnets"].size(), 2u);
  EXPECT_EQ(lb["sgs"].size(), 1u);
  EXPECT_EQ(lb["attrs"]["idle_timeout.timeout_seconds"], "60");
  EXPECT_EQ(lb["attrs"]["deletion_protection.enabled"], "false");
  EXPECT_EQ(lb["attrs"]["routing.http.drop_invalid_header_fields.enabled"], "true");
  EXPECT_EQ(lb["tags"]["team"], "web");
  EXPECT_EQ(lb["tags"]["infra:address"], "aws_lb.web");
  ASSERT_EQ(s["tgs"]["app"].size(), 1u) << s.dump(2);
  const auto tg = s["tgs"]["app"][0];
  EXPECT_EQ(tg["port"], 80);
  EXPECT_EQ(tg["type"], "ip");
  EXPECT_EQ(tg["path"], "/health.php");
  EXPECT_EQ(tg["matcher"], "200-299");
  EXPECT_EQ(tg["interval"], 15);
  EXPECT_EQ(tg["attrs"]["deregistration_delay.timeout_seconds"], "30");
  EXPECT_EQ(tg["attrs"]["stickiness.enabled"], "true");
  EXPECT_EQ(tg["attrs"]["stickiness.lb_cookie.duration_seconds"], "3600");
  EXPECT_EQ(tg["tags"]["infra:address"], "aws_lb_target_group.app");
  ASSERT_EQ(s["listeners"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["listeners"][0]["port"], 80);
  EXPECT_EQ(s["listeners"][0]["actions"][0]["Type"], "forward");
  EXPECT_EQ(s["listeners"][0]["actions"][0]["TargetGroupArn"], tg["arn"]);
  EXPECT_EQ(s["listeners"][0]["tags"]["infra:address"], "aws_lb_listener.http");
  ASSERT_EQ(s["rules"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["rules"][0]["priority"], "10");
  EXPECT_NE(s["rules"][0]["conditions"].dump().find("/maintenance/*"), std::string::npos) << s["rules"].dump();
  EXPECT_NE(s["rules"][0]["conditions"].dump().find("www.example.com"), std::string::npos) << s["rules"].dump();
  EXPECT_EQ(s["rules"][0]["actions"][0]["FixedResponseConfig"]["StatusCode"], "503");
  auto dns = Infra("output -raw dns_name");
  EXPECT_EQ(dns.out.substr(0, dns.out.find_last_not_of("\n") + 1), lb["dns"]) << dns.err;

  // Read back: no changes, though AWS fills health-check and redirect defaults.
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  // In place: an LB attribute, the health check and the rule's priority.
  std::string vars = "-var idle_timeout=120 -var health_path=/ready -var priority=20";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_lb.web will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("0 to add, 3 to change, 0 to destroy"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  ASSERT_EQ(s["lbs"]["web"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["lbs"]["web"][0]["arn"], lb["arn"]) << "updated in place";
  EXPECT_EQ(s["lbs"]["web"][0]["attrs"]["idle_timeout.timeout_seconds"], "120");
  EXPECT_EQ(s["tgs"]["app"][0]["path"], "/ready");
  EXPECT_EQ(s["tgs"]["app"][0]["arn"], tg["arn"]);
  EXPECT_EQ(s["rules"][0]["priority"], "20");
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  // internal forces a new load balancer, and with it a new listener and rule.
  vars += " -var internal=true";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_lb.web must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  ASSERT_EQ(s["lbs"]["web"].size(), 1u) << s.dump(2);
  EXPECT_NE(s["lbs"]["web"][0]["arn"], lb["arn"]);
  EXPECT_EQ(s["lbs"]["web"][0]["scheme"], "internal");
  ASSERT_EQ(s["listeners"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["listeners"][0]["lb"], s["lbs"]["web"][0]["arn"]);
  EXPECT_EQ(s["rules"].size(), 1u) << s.dump(2);
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  // Deletion protection: destroy stops at the load balancer, naming the attribute.
  apply = Infra("apply --auto-approve " + vars + " -var protection=true");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(Snapshot()["lbs"]["web"][0]["attrs"]["deletion_protection.enabled"], "true");
  auto destroy = Infra("destroy --auto-approve " + vars + " -var protection=true");
  EXPECT_NE(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_NE((destroy.out + destroy.err).find("enable_deletion_protection"), std::string::npos)
      << destroy.out << destroy.err;
  EXPECT_EQ(Snapshot()["lbs"]["web"].size(), 1u);
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

  destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Snapshot();
  EXPECT_TRUE(s["lbs"].empty()) << s.dump(2);
  EXPECT_TRUE(s["tgs"].empty()) << s.dump(2);
}

TEST_F(Elbv2StackTest, ImportedLoadBalancerTargetGroupAndListenerPlanNoChanges) {
  auto made = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-central-1", endpoint_url=ENDPOINT)
elb = boto3.client("elbv2", region_name="eu-central-1", endpoint_url=ENDPOINT)
vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.50.1.0/24", AvailabilityZone="eu-central-1a")["Subnet"]["SubnetId"]
b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.50.2.0/24", AvailabilityZone="eu-central-1b")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="imp", Description="imp", VpcId=vpc)["GroupId"]
lb = elb.create_load_balancer(Name="imported", Subnets=[b, a], SecurityGroups=[sg])["LoadBalancers"][0]
tg = elb.create_target_group(Name="imported", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
                             HealthCheckPath="/health.php")["TargetGroups"][0]
l = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                         "StatusCode": "HTTP_301"}}])["Listeners"][0]
print(json.dumps({"vpc": vpc, "a": a, "b": b, "sg": sg, "lb": lb["LoadBalancerArn"], "tg": tg["TargetGroupArn"],
                  "listener": l["ListenerArn"]}))
)PY");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto& ids = made.json;
  auto id = [&](const char* k) { return ids[k].get<std::string>(); };
  WriteStack(R"(stack: elbv2-import
regions:
  primary: eu-central-1
resources:
  imp:
    type: aws_lb
    name: imported
    subnets: [)" + id("a") + ", " + id("b") + R"(]
    security_groups: [)" + id("sg") + R"(]
  imp_tg:
    type: aws_lb_target_group
    name: imported
    port: 8080
    protocol: HTTP
    vpc_id: )" + id("vpc") + R"(
    target_type: ip
    health_check:
      path: /health.php
  imp_http:
    type: aws_lb_listener
    load_balancer_arn: ${imp.arn}
    port: 80
    protocol: HTTP
    default_action:
      - type: redirect
        redirect:
          protocol: HTTPS
          port: "443"
          status_code: HTTP_301
)");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << "not managed yet:\n" << plan.out << plan.err;
  for (auto [address, key] : {std::pair{"aws_lb.imp", "lb"}, std::pair{"aws_lb_target_group.imp_tg", "tg"},
                              std::pair{"aws_lb_listener.imp_http", "listener"}}) {
    auto imported = Infra(std::string("import ") + address + " " + id(key));
    ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  }
  plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  auto destroy = Infra("destroy --auto-approve");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  auto s = Snapshot();
  EXPECT_TRUE(s["lbs"].empty()) << s.dump(2);
  EXPECT_TRUE(s["tgs"].empty()) << s.dump(2);
}

}  // namespace
}  // namespace infra::test
