// Fixture for the stacks/lamp-dr end-to-end tests: a copy of the stack in a
// fresh directory per test (state beside it), `infra` run against a real
// moto_server (reset per test, optionally through a proxy), the plan's
// changes as {address: actions}, and an inventory of everything tagged
// infra:stack=lamp-dr in both regions as boto3 sees it (names -> counts, so
// a twin or an orphan shows as a count), monitoring and automation included.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "support/moto_server.h"
#include "test_paths.h"

namespace infra::test {

class LampDrTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    dir_ = std::filesystem::temp_directory_path() /
           ("infra-lampdr-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(SourceDir() + "/stacks/lamp-dr", dir_, std::filesystem::copy_options::recursive);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  /// `infra -C DIR ARGS` with stdin closed; `prefix` goes before the command
  /// (environment, `timeout -s KILL 1.2`).
  CommandResult Infra(const std::string& args, const std::string& prefix = "") {
    return RunCommand(prefix + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.string()) + " " + args +
                      " </dev/null");
  }
  /// Through another endpoint (a proxy in front of moto).
  CommandResult InfraVia(const std::string& endpoint, const std::string& args) {
    return Infra(args, "AWS_ENDPOINT_URL=" + ShellQuote(endpoint) + " ");
  }

  /// `plan --json ARGS`: address -> actions for every change that is not a no-op.
  std::map<std::string, std::string> Changes(const std::string& args, nlohmann::json* doc_out = nullptr) {
    auto r = Infra("plan --json " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    std::map<std::string, std::string> out;
    if (!doc.is_object()) return out;
    for (const auto& c : doc["resource_changes"]) {
      std::string actions;
      for (const auto& a : c["change"]["actions"]) actions += (actions.empty() ? "" : ",") + a.get<std::string>();
      if (actions != "no-op") out[c["address"]] = actions;
    }
    if (doc_out) *doc_out = doc;
    return out;
  }

  static std::string Describe(const std::map<std::string, std::string>& m) {
    std::string s;
    for (const auto& [k, v] : m) s += "\n  " + k + ": " + v;
    return s;
  }
  static std::string Describe(const nlohmann::json& inv) { return inv.dump(1); }

  /// What AWS holds for the stack, per region ("-" = global): kind -> name
  /// -> count, only objects tagged infra:stack=lamp-dr (or, for what has
  /// no tags, named as the stack names them). Deleted leftovers moto keeps
  /// listed (NAT gateways, peerings, KMS keys pending deletion) are left out.
  static nlohmann::json Inventory() {
    auto r = Boto3(R"PY(
STACK = "lamp-dr"
f = [{"Name": "tag:infra:stack", "Values": [STACK]}]
def tagged(tags, key="Key", value="Value"):
    return any(t.get(key) == "infra:stack" and t.get(value) == STACK for t in tags or [])
def name_of(tags, fallback):
    for t in tags or []:
        if t.get("Key") == "infra:address": return t["Value"]
    return fallback
out = {}
def put(region, kind, name):
    d = out.setdefault(region, {}).setdefault(kind, {})
    d[name] = d.get(name, 0) + 1
for region in ["eu-central-1", "eu-west-1"]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    for v in ec2.describe_vpcs(Filters=f)["Vpcs"]: put(region, "vpc", name_of(v.get("Tags"), v["VpcId"]))
    for s in ec2.describe_subnets(Filters=f)["Subnets"]: put(region, "subnet", s["CidrBlock"])
    for g in ec2.describe_internet_gateways(Filters=f)["InternetGateways"]: put(region, "igw", name_of(g.get("Tags"), "igw"))
    for a in ec2.describe_addresses(Filters=f)["Addresses"]: put(region, "eip", name_of(a.get("Tags"), "eip"))
    for g in ec2.describe_security_groups(Filters=f)["SecurityGroups"]: put(region, "sg", g["GroupName"])
    for r in ec2.describe_security_group_rules(Filters=f)["SecurityGroupRules"]:
        put(region, "sg_rule", "%s/%s" % (r.get("FromPort"), r.get("IsEgress")))
    for t in ec2.describe_route_tables(Filters=f)["RouteTables"]:
        put(region, "route_table", name_of(t.get("Tags"), "rt"))
        for r in t.get("Routes", []):
            if r.get("GatewayId") != "local": put(region, "route", r.get("DestinationCidrBlock"))
        for a in t.get("Associations", []):
            if not a.get("Main"): put(region, "route_assoc", a.get("SubnetId", "?")[:4])
    for g in ec2.describe_nat_gateways()["NatGateways"]:
        if tagged(g.get("Tags")) and g.get("State") not in ("deleted", "deleting"): put(region, "nat", name_of(g.get("Tags"), g["SubnetId"]))
    for c in ec2.describe_vpc_peering_connections(Filters=f)["VpcPeeringConnections"]:
        if c.get("Status", {}).get("Code") not in ("deleted", "rejected", "failed"): put(region, "peering", "pcx")
    elb = boto3.client("elbv2", region_name=region, endpoint_url=ENDPOINT)
    for lb in elb.describe_load_balancers()["LoadBalancers"]:
        tags = [t for d in elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"]])["TagDescriptions"] for t in d["Tags"]]
        if tagged(tags):
            put(region, "lb", lb["LoadBalancerName"])
            for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]: put(region, "listener", l["Port"])
    for tg in elb.describe_target_groups()["TargetGroups"]:
        tags = [t for d in elb.describe_tags(ResourceArns=[tg["TargetGroupArn"]])["TagDescriptions"] for t in d["Tags"]]
        if tagged(tags): put(region, "target_group", tg["TargetGroupName"])
    ecs = boto3.client("ecs", region_name=region, endpoint_url=ENDPOINT)
    for arn in ecs.list_clusters()["clusterArns"]:
        c = ecs.describe_clusters(clusters=[arn], include=["TAGS"])["clusters"][0]
        if c.get("status") != "ACTIVE" or not tagged(c.get("tags"), "key", "value"): continue
        put(region, "ecs_cluster", c["clusterName"])
        sarns = ecs.list_services(cluster=arn)["serviceArns"]
        for s in (ecs.describe_services(cluster=arn, services=sarns)["services"] if sarns else []):
            if s.get("status") == "ACTIVE": put(region, "ecs_service", s["serviceName"])
    for arn in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"]:
        tags = ecs.list_tags_for_resource(resourceArn=arn).get("tags", [])
        if tagged(tags, "key", "value"): put(region, "task_definition", name_of([{"Key": t["key"], "Value": t["value"]} for t in tags], arn))
    aas = boto3.client("application-autoscaling", region_name=region, endpoint_url=ENDPOINT)
    for t in aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]: put(region, "scalable_target", t["ResourceId"])
    for p in aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]: put(region, "scaling_policy", p["PolicyName"])
    logs = boto3.client("logs", region_name=region, endpoint_url=ENDPOINT)
    for g in logs.describe_log_groups(logGroupNamePrefix="/ecs/")["logGroups"]: put(region, "log_group", g["logGroupName"])
    rds = boto3.client("rds", region_name=region, endpoint_url=ENDPOINT)
    for c in rds.describe_db_clusters()["DBClusters"]:
        if tagged(c.get("TagList")): put(region, "db_cluster", name_of(c.get("TagList"), c["DBClusterIdentifier"]))
    for i in rds.describe_db_instances()["DBInstances"]:
        if tagged(i.get("TagList")): put(region, "db_instance", name_of(i.get("TagList"), i["DBInstanceIdentifier"]))
    for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]:
        if g["DBSubnetGroupName"].startswith("lamp"): put(region, "db_subnet_group", g["DBSubnetGroupName"])
    for g in rds.describe_db_cluster_parameter_groups()["DBClusterParameterGroups"]:
        if g["DBClusterParameterGroupName"].startswith("lamp"): put(region, "db_parameter_group", g["DBClusterParameterGroupName"])
    kms = boto3.client("kms", region_name=region, endpoint_url=ENDPOINT)
    for k in kms.list_keys()["Keys"]:
        meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
        if meta["KeyState"] == "PendingDeletion": continue
        if tagged(kms.list_resource_tags(KeyId=k["KeyId"]).get("Tags"), "TagKey", "TagValue"): put(region, "kms_key", meta.get("Description", ""))
    sm = boto3.client("secretsmanager", region_name=region, endpoint_url=ENDPOINT)
    for s in sm.list_secrets()["SecretList"]:
        if not s.get("DeletedDate"): put(region, "secret", s["Name"])
    ecr = boto3.client("ecr", region_name=region, endpoint_url=ENDPOINT)
    for repo in ecr.describe_repositories()["repositories"]: put(region, "ecr_repository", repo["repositoryName"])
    for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]: put(region, "log_group", g["logGroupName"])
    lam = boto3.client("lambda", region_name=region, endpoint_url=ENDPOINT)
    for fn in lam.list_functions()["Functions"]:
        tags = [{"Key": k, "Value": v} for k, v in lam.list_tags(Resource=fn["FunctionArn"]).get("Tags", {}).items()]
        if tagged(tags): put(region, "function", fn["FunctionName"])
    ev = boto3.client("events", region_name=region, endpoint_url=ENDPOINT)
    for rule in ev.list_rules()["Rules"]:
        if tagged(ev.list_tags_for_resource(ResourceARN=rule["Arn"]).get("Tags")):
            put(region, "event_rule", rule["Name"])
            for t in ev.list_targets_by_rule(Rule=rule["Name"])["Targets"]: put(region, "event_target", t["Id"])
    sns = boto3.client("sns", region_name=region, endpoint_url=ENDPOINT)
    topics = set()
    for t in sns.list_topics()["Topics"]:
        if tagged(sns.list_tags_for_resource(ResourceArn=t["TopicArn"]).get("Tags")):
            topics.add(t["TopicArn"])
            put(region, "topic", t["TopicArn"].split(":")[-1])
    for sub in sns.list_subscriptions()["Subscriptions"]:  # subscriptions have no tags: by their topic
        if sub["TopicArn"] in topics: put(region, "subscription", sub["Protocol"] + ":" + sub["Endpoint"])
    cw = boto3.client("cloudwatch", region_name=region, endpoint_url=ENDPOINT)
    for a in cw.describe_alarms()["MetricAlarms"]:
        if tagged(cw.list_tags_for_resource(ResourceARN=a["AlarmArn"]).get("Tags")): put(region, "alarm", a["AlarmName"])
    ssm = boto3.client("ssm", region_name=region, endpoint_url=ENDPOINT)
    for prm in ssm.describe_parameters()["Parameters"]:
        if tagged(ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=prm["Name"]).get("TagList")):
            put(region, "ssm_parameter", prm["Name"])
s3 = boto3.client("s3", region_name="eu-central-1", endpoint_url=ENDPOINT)
for b in s3.list_buckets()["Buckets"]:
    if b["Name"].startswith("lamp-dr"): put("-", "bucket", b["Name"])
iam = boto3.client("iam", endpoint_url=ENDPOINT)
for role in iam.list_roles()["Roles"]:
    if role["RoleName"].startswith("lamp-dr"): put("-", "iam_role", role["RoleName"])
r53 = boto3.client("route53", endpoint_url=ENDPOINT)
for z in r53.list_hosted_zones()["HostedZones"]:
    put("-", "zone", z["Name"])
    for rr in r53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"]:
        if rr["Type"] == "A": put("-", "record", rr["Name"] + rr.get("SetIdentifier", ""))
for h in r53.list_health_checks()["HealthChecks"]: put("-", "health_check", h["HealthCheckConfig"].get("FullyQualifiedDomainName", "?"))
print(json.dumps(out))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_object() ? r.json : nlohmann::json::object();
  }

  /// Kinds the inventory found anywhere ("" when none): what a destroy left.
  static std::string Leftovers(const nlohmann::json& inv) {
    std::string s;
    for (auto region = inv.begin(); region != inv.end(); ++region)
      for (auto kind = region->begin(); kind != region->end(); ++kind)
        for (auto n = kind->begin(); n != kind->end(); ++n) s += region.key() + "/" + kind.key() + "/" + n.key() + " ";
    return s;
  }

  MotoServer& moto_ = MotoServer::Shared();
  std::filesystem::path dir_;
};

}  // namespace infra::test
