// stacks/examples/app-2region end to end against moto_server, checked with
// boto3 in both regions: apply; ALB -> target group -> listener -> ECS
// service (2 tasks primary, 0 DR) with its task definition, cluster, log
// group, the primary's autoscaling and the ECR repository replicated to the
// DR region, all present with the declared attributes; re-plan empty; the
// data sources (aws_lb, aws_ecs_cluster, aws_ecr_repository) find them;
// dr_count 0 -> 2 is an in-place update; a new image makes a new task
// definition revision in each region and updates the services; destroy
// leaves nothing tagged with the stack.
#include <gtest/gtest.h>

#include "elbv2_fixture.h"

namespace infra::test {
namespace {

class ComputeApp2RegionTest : public Elbv2Test {
 protected:
  CommandResult Run(const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(SourceDir() + "/stacks/examples/app-2region") +
                      " " + args + " --state " + ShellQuote(dir_.File("app.db")) + " </dev/null");
  }
  // ECS, Logs, ECR, Application Auto Scaling and IAM as boto3 sees them in `region`.
  static nlohmann::json App(const std::string& region) {
    auto r = Boto3("REGION = " + nlohmann::json(region).dump() + R"PY(
ecs = boto3.client("ecs", region_name=REGION, endpoint_url=ENDPOINT)
logs = boto3.client("logs", region_name=REGION, endpoint_url=ENDPOINT)
ecr = boto3.client("ecr", region_name=REGION, endpoint_url=ENDPOINT)
aas = boto3.client("application-autoscaling", region_name=REGION, endpoint_url=ENDPOINT)
iam = boto3.client("iam", region_name=REGION, endpoint_url=ENDPOINT)
tags = lambda l: {t["key"]: t["value"] for t in l or []}
out = {"clusters": {}, "services": {}, "tds": {}, "logs": {}, "repos": {}, "targets": [], "policies": [], "roles": []}
arns = ecs.list_clusters()["clusterArns"]
for c in ecs.describe_clusters(clusters=arns, include=["SETTINGS", "TAGS"])["clusters"] if arns else []:
    if c["status"] != "ACTIVE":
        continue
    out["clusters"][c["clusterName"]] = {"insights": {s["name"]: s["value"] for s in c.get("settings", [])}.get("containerInsights"),
                                         "tags": tags(c.get("tags"))}
    svcs = ecs.list_services(cluster=c["clusterArn"])["serviceArns"]
    for s in ecs.describe_services(cluster=c["clusterArn"], services=svcs, include=["TAGS"])["services"] if svcs else []:
        if s["status"] == "ACTIVE":
            out["services"][s["serviceName"]] = {"desired": s["desiredCount"], "td": s["taskDefinition"],
                "launch": s.get("launchType"), "lbs": s.get("loadBalancers", []), "tags": tags(s.get("tags"))}
for arn in ecs.list_task_definitions(familyPrefix="app")["taskDefinitionArns"]:
    td = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
    d = td["taskDefinition"]
    out["tds"][arn] = {"status": d["status"], "image": d["containerDefinitions"][0]["image"],
                       "exec": d.get("executionRoleArn"), "cpu": d.get("cpu"), "tags": tags(td.get("tags"))}
for g in logs.describe_log_groups()["logGroups"]:
    out["logs"][g["logGroupName"]] = g.get("retentionInDays")
for repo in ecr.describe_repositories()["repositories"]:
    out["repos"][repo["repositoryName"]] = repo["repositoryUri"]
out["replication"] = ecr.describe_registry()["replicationConfiguration"]
for t in aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]:
    out["targets"].append([t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]])
for p in aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]:
    out["policies"].append([p["PolicyName"], p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]])
out["roles"] = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"] == "app-task-execution"]
print(json.dumps(out, default=str))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
  // The status of one task definition revision ("" when it cannot be described).
  static std::string Status(const std::string& region, const std::string& arn) {
    auto r = Boto3("REGION, ARN = " + nlohmann::json(region).dump() + ", " + nlohmann::json(arn).dump() + R"PY(
ecs = boto3.client("ecs", region_name=REGION, endpoint_url=ENDPOINT)
print(json.dumps(ecs.describe_task_definition(taskDefinition=ARN)["taskDefinition"]["status"]))
)PY");
    return r.exit_code == 0 && r.json.is_string() ? r.json.get<std::string>() : "";
  }
  static std::string ActiveRevision(const nlohmann::json& app) {
    std::string found;
    for (auto it = app["tds"].begin(); it != app["tds"].end(); ++it)
      if (it.value()["status"] == "ACTIVE") found = found.empty() ? it.key() : "two active revisions";
    return found;
  }
  // EC2 objects tagged with the stack, summed over both regions.
  static int TaggedEc2() {
    auto r = Boto3(R"PY(
f = [{"Name": "tag:infra:stack", "Values": ["app-2region"]}]
n = 0
for region in ["eu-central-1", "eu-west-1"]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    n += len(ec2.describe_vpcs(Filters=f)["Vpcs"]) + len(ec2.describe_subnets(Filters=f)["Subnets"])
    n += len(ec2.describe_security_groups(Filters=f)["SecurityGroups"])
print(json.dumps(n))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_number() ? r.json.get<int>() : -1;
  }
};

TEST_F(ComputeApp2RegionTest, ApplyPlanEmptyScaleDrNewImageDestroy) {
  auto apply = Run("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  std::map<std::string, std::string> revision;
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    SCOPED_TRACE(region);
    bool primary = std::string(region) == "eu-central-1";
    auto lb = Snapshot(region);
    ASSERT_EQ(lb["lbs"]["app"].size(), 1u) << lb.dump(2);
    ASSERT_EQ(lb["tgs"]["app"].size(), 1u) << lb.dump(2);
    ASSERT_EQ(lb["listeners"].size(), 1u) << lb.dump(2);
    EXPECT_EQ(lb["listeners"][0]["actions"][0]["TargetGroupArn"], lb["tgs"]["app"][0]["arn"]);
    auto app = App(region);
    EXPECT_EQ(app["clusters"]["app"]["insights"], "enabled") << app.dump(2);
    EXPECT_EQ(app["clusters"]["app"]["tags"]["infra:stack"], "app-2region");
    ASSERT_TRUE(app["services"].contains("app")) << app.dump(2);
    const auto& svc = app["services"]["app"];
    EXPECT_EQ(svc["desired"], primary ? 2 : 0);
    EXPECT_EQ(svc["launch"], "FARGATE");
    ASSERT_EQ(svc["lbs"].size(), 1u);
    EXPECT_EQ(svc["lbs"][0]["targetGroupArn"], lb["tgs"]["app"][0]["arn"]);
    EXPECT_EQ(svc["tags"]["Project"], "pilot-light");
    revision[region] = ActiveRevision(app);
    EXPECT_NE(revision[region].find("task-definition/app:1"), std::string::npos) << app.dump(2);
    EXPECT_EQ(svc["td"], revision[region]);
    const auto& td = app["tds"][revision[region]];
    EXPECT_EQ(td["image"], "123456789012.dkr.ecr." + std::string(region) + ".amazonaws.com/app:1.27");
    EXPECT_NE(td["exec"].get<std::string>().find("role/app-task-execution"), std::string::npos);
    EXPECT_EQ(app["logs"]["/ecs/app"], 3);
    if (primary) {
      EXPECT_TRUE(app["repos"].contains("app")) << app.dump(2);
      EXPECT_EQ(app["replication"]["rules"][0]["destinations"][0]["region"], "eu-west-1");
      EXPECT_EQ(app["targets"], nlohmann::json::parse(R"([["service/app/app", 1, 6]])"));
      EXPECT_EQ(app["policies"], nlohmann::json::parse(R"([["cpu", 70.0]])"));
      EXPECT_EQ(app["roles"].size(), 1u);
    } else {
      EXPECT_TRUE(app["targets"].empty()) << app.dump(2);
    }
  }

  auto plan = Run("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_EQ(plan.out.find("changed outside"), std::string::npos) << plan.out;
  // The data sources found what the stack made (data.aws_lb, data.aws_ecs_cluster, data.aws_ecr_repository).
  auto dr_cluster = Run("output -raw dr_cluster_arn");
  EXPECT_EQ(dr_cluster.out, "arn:aws:ecs:eu-west-1:123456789012:cluster/app") << dr_cluster.err;
  EXPECT_EQ(Run("output -raw repository_arn").out, "arn:aws:ecr:eu-central-1:123456789012:repository/app");
  EXPECT_FALSE(Run("output -raw primary_zone_id").out.empty());

  // Fail over: the DR service's count changes in place, nothing is replaced.
  plan = Run("plan --detailed-exitcode -var dr_count=2");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ecs_service.app_dr will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("1 to change, 0 to destroy"), std::string::npos) << plan.out;
  apply = Run("apply --auto-approve -var dr_count=2");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(App("eu-west-1")["services"]["app"]["desired"], 2);
  EXPECT_EQ(App("eu-central-1")["services"]["app"]["desired"], 2);
  EXPECT_EQ(Run("plan --detailed-exitcode -var dr_count=2").exit_code, 0);

  // A new image: a new revision in each region, the services moved to it.
  std::string vars = "-var dr_count=2 -var image_tag=1.28";
  plan = Run("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ecs_task_definition.task_primary must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_ecs_service.app_primary will be updated in-place"), std::string::npos) << plan.out;
  apply = Run("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    SCOPED_TRACE(region);
    auto app = App(region);
    std::string now = ActiveRevision(app);
    EXPECT_NE(now.find("task-definition/app:2"), std::string::npos) << app.dump(2);
    EXPECT_EQ(app["tds"][now]["image"], "123456789012.dkr.ecr." + std::string(region) + ".amazonaws.com/app:1.28");
    EXPECT_EQ(Status(region, revision[region]), "INACTIVE");  // deregistered: no longer listed
    EXPECT_EQ(app["services"]["app"]["td"], now);
  }
  EXPECT_EQ(Run("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Run("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    SCOPED_TRACE(region);
    auto lb = Snapshot(region);
    EXPECT_TRUE(lb["lbs"].empty() && lb["tgs"].empty()) << lb.dump(2);
    auto app = App(region);
    EXPECT_TRUE(app["clusters"].empty()) << app.dump(2);
    EXPECT_TRUE(app["services"].empty()) << app.dump(2);
    EXPECT_EQ(ActiveRevision(app), "") << app.dump(2);
    EXPECT_TRUE(app["logs"].empty()) << app.dump(2);
    EXPECT_TRUE(app["repos"].empty()) << app.dump(2);
    EXPECT_TRUE(app["targets"].empty() && app["policies"].empty()) << app.dump(2);
    EXPECT_TRUE(app["roles"].empty()) << app.dump(2);
  }
  EXPECT_EQ(TaggedEc2(), 0);
}

}  // namespace
}  // namespace infra::test
