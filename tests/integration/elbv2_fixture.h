// Fixture for the ELBv2 integration tests: a stack written by the test in a
// fresh folder, the `infra` binary run against a real moto_server (reset
// per test, optionally through a fault proxy), and what ELBv2 holds in a
// region as boto3 sees it (load balancers with attributes and tags, target
// groups, listeners and non-default rules).
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {

class Elbv2Test : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
  }
  void WriteStack(const std::string& yaml) { std::ofstream(dir_.File("stack.yaml")) << yaml; }

  /// `infra -C DIR ARGS --state DIR/s.db`; `endpoint` overrides AWS_ENDPOINT_URL.
  CommandResult Infra(const std::string& args, const std::string& endpoint = "") {
    std::string env = endpoint.empty() ? "" : "AWS_ENDPOINT_URL=" + ShellQuote(endpoint) + " ";
    return RunCommand(env + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) + " " + args + " --state " +
                      ShellQuote(dir_.File("s.db")) + " </dev/null");
  }

  /// {"lbs": {name: [...]}, "tgs": {name: [...]}, "listeners": [...], "rules": [...]} in `region`.
  /// Names map to lists so a twin with the same name shows.
  static nlohmann::json Snapshot(const std::string& region = "eu-central-1") {
    auto r = Boto3("REGION = " + nlohmann::json(region).dump() + R"PY(
elb = boto3.client("elbv2", region_name=REGION, endpoint_url=ENDPOINT)
def tags(arn):
    return {t["Key"]: t["Value"] for d in elb.describe_tags(ResourceArns=[arn])["TagDescriptions"] for t in d["Tags"]}
out = {"lbs": {}, "tgs": {}, "listeners": [], "rules": []}
for lb in elb.describe_load_balancers()["LoadBalancers"]:
    arn = lb["LoadBalancerArn"]
    attrs = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
    out["lbs"].setdefault(lb["LoadBalancerName"], []).append({
        "arn": arn, "scheme": lb["Scheme"], "type": lb["Type"], "dns": lb["DNSName"],
        "subnets": sorted(z["SubnetId"] for z in lb["AvailabilityZones"]),
        "sgs": sorted(lb.get("SecurityGroups", [])), "attrs": attrs, "tags": tags(arn)})
    for l in elb.describe_listeners(LoadBalancerArn=arn)["Listeners"]:
        out["listeners"].append({"arn": l["ListenerArn"], "lb": arn, "port": l["Port"], "protocol": l["Protocol"],
                                 "actions": l["DefaultActions"], "tags": tags(l["ListenerArn"])})
        for rule in elb.describe_rules(ListenerArn=l["ListenerArn"])["Rules"]:
            if not rule["IsDefault"]:
                out["rules"].append({"arn": rule["RuleArn"], "priority": rule["Priority"],
                                     "conditions": rule["Conditions"], "actions": rule["Actions"]})
for tg in elb.describe_target_groups()["TargetGroups"]:
    arn = tg["TargetGroupArn"]
    attrs = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]}
    out["tgs"].setdefault(tg["TargetGroupName"], []).append({
        "arn": arn, "port": tg["Port"], "protocol": tg["Protocol"], "type": tg["TargetType"],
        "vpc": tg["VpcId"], "path": tg.get("HealthCheckPath"), "matcher": tg.get("Matcher", {}).get("HttpCode"),
        "interval": tg.get("HealthCheckIntervalSeconds"), "healthy": tg.get("HealthyThresholdCount"),
        "attrs": attrs, "tags": tags(arn)})
print(json.dumps(out, default=str))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }

  MotoServer& moto_ = MotoServer::Shared();
  TempDir dir_{"infra-elbv2"};
};

/// A VPC with two subnets in two AZs and a security group: what an ALB needs.
inline const char* kElbv2Network = R"(
  vpc:
    type: aws_vpc
    cidr_block: 10.40.0.0/16
  subnet_a:
    type: aws_subnet
    vpc_id: ${vpc.id}
    cidr_block: 10.40.1.0/24
    availability_zone: eu-central-1a
  subnet_b:
    type: aws_subnet
    vpc_id: ${vpc.id}
    cidr_block: 10.40.2.0/24
    availability_zone: eu-central-1b
  sg:
    type: aws_security_group
    name: web
    description: load balancer
    vpc_id: ${vpc.id}
)";

}  // namespace infra::test
