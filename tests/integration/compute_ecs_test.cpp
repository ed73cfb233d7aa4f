// The ECS and Application Auto Scaling types end to end through the `infra`
// binary against moto_server, checked with boto3: create -> read back ->
// no-op plan (the task definition written with AWS's defaults and without,
// as YAML and as a JSON string) -> in-place updates (cluster setting,
// desired_count, task definition revision on the service, min / max,
// target value) -> replacement (the task definition: a new revision, the
// old one INACTIVE) -> import of each type -> delete -> gone.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: ecs-test
regions:
  primary: eu-west-1
variables:
  insights: {type: string, default: enabled}
  tasks: {type: number, default: 1}
  image: {type: string, default: "nginx:1.27"}
  max: {type: number, default: 4}
  target: {type: number, default: 70}
resources:
  vpc: {type: aws_vpc, cidr_block: 10.50.0.0/16}
  subnet: {type: aws_subnet, vpc_id: "${vpc.id}", cidr_block: 10.50.1.0/24, availability_zone: eu-west-1a}
  sg: {type: aws_security_group, name: app, description: app, vpc_id: "${vpc.id}"}
  cluster:
    type: aws_ecs_cluster
    name: main
    setting: [{name: containerInsights, value: "${var.insights}"}]
    tags: {team: app}
  task:
    type: aws_ecs_task_definition
    family: web
    requires_compatibilities: [FARGATE]
    network_mode: awsvpc
    cpu: 256
    memory: 512
    container_definitions:
      - name: web
        image: ${var.image}
        essential: true
        cpu: 0
        portMappings: [{containerPort: 80, protocol: tcp}]
        environment: []
  sidecar:
    type: aws_ecs_task_definition
    family: sidecar
    container_definitions: '[{"name": "log", "image": "busybox", "memory": 64}]'
  web:
    type: aws_ecs_service
    name: web
    cluster: ${cluster.arn}
    task_definition: ${task.arn}
    desired_count: ${var.tasks}
    launch_type: FARGATE
    network_configuration: {subnets: ["${subnet.id}"], security_groups: ["${sg.id}"]}
    tags: {team: app}
  scaling:
    type: aws_appautoscaling_target
    service_namespace: ecs
    resource_id: service/${cluster.name}/${web.name}
    scalable_dimension: ecs:service:DesiredCount
    min_capacity: 1
    max_capacity: ${var.max}
  cpu:
    type: aws_appautoscaling_policy
    name: cpu
    policy_type: TargetTrackingScaling
    service_namespace: ecs
    resource_id: ${scaling.resource_id}
    scalable_dimension: ecs:service:DesiredCount
    target_tracking_scaling_policy_configuration:
      target_value: ${var.target}
      predefined_metric_specification: {predefined_metric_type: ECSServiceAverageMemoryUtilization}
      scale_in_cooldown: 300
)";

class ComputeEcsTest : public StackDirTest {
 protected:
  // What ECS and Application Auto Scaling hold, as boto3 sees it.
  nlohmann::json Snapshot() {
    auto r = Boto3(R"(
ecs = boto3.client("ecs", endpoint_url=ENDPOINT, region_name="eu-west-1")
aas = boto3.client("application-autoscaling", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {"clusters": {}, "tds": {}, "services": {}, "targets": [], "policies": []}
arns = ecs.list_clusters()["clusterArns"]
for c in ecs.describe_clusters(clusters=arns, include=["SETTINGS", "TAGS"])["clusters"] if arns else []:
    if c["status"] == "ACTIVE":
        out["clusters"][c["clusterName"]] = {"settings": {s["name"]: s["value"] for s in c.get("settings", [])},
                                             "tags": {t["key"]: t["value"] for t in c.get("tags", [])}}
for family in ["web", "sidecar"]:
    for arn in ecs.list_task_definitions(familyPrefix=family)["taskDefinitionArns"]:
        td = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
        d = td["taskDefinition"]
        out["tds"][arn] = {"status": d["status"], "image": d["containerDefinitions"][0]["image"],
                           "tags": {t["key"]: t["value"] for t in td.get("tags", [])}}
for c in arns:
    svcs = ecs.list_services(cluster=c)["serviceArns"]
    for s in ecs.describe_services(cluster=c, services=svcs, include=["TAGS"])["services"] if svcs else []:
        if s["status"] == "ACTIVE":
            out["services"][s["serviceName"]] = {"desired": s["desiredCount"], "td": s["taskDefinition"],
                                                 "tags": {t["key"]: t["value"] for t in s.get("tags", [])}}
for t in aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]:
    out["targets"].append({"resource": t["ResourceId"], "min": t["MinCapacity"], "max": t["MaxCapacity"]})
for p in aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]:
    c = p["TargetTrackingScalingPolicyConfiguration"]
    out["policies"].append({"name": p["PolicyName"], "target": c["TargetValue"],
                            "metric": c["PredefinedMetricSpecification"]["PredefinedMetricType"]})
print(json.dumps(out, default=str))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
  // The status of one task definition revision ("" when it cannot be described).
  std::string Status(const std::string& arn) {
    auto r = Boto3("ARN = " + nlohmann::json(arn).dump() + R"(
ecs = boto3.client("ecs", endpoint_url=ENDPOINT, region_name="eu-west-1")
print(json.dumps(ecs.describe_task_definition(taskDefinition=ARN)["taskDefinition"]["status"]))
)");
    return r.exit_code == 0 && r.json.is_string() ? r.json.get<std::string>() : "";
  }
  // The ARN of the only ACTIVE revision of `family`.
  static std::string ActiveRevision(const nlohmann::json& s, const std::string& family) {
    std::string found;
    for (auto it = s["tds"].begin(); it != s["tds"].end(); ++it)
      if (it.value()["status"] == "ACTIVE" && it.key().find("task-definition/" + family + ":") != std::string::npos)
        found = found.empty() ? it.key() : "two active revisions";
    return found;
  }
};

TEST_F(ComputeEcsTest, LifecycleCreateNoOpUpdateReplaceImportDestroy) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Snapshot();
  ASSERT_TRUE(s["clusters"].contains("main")) << s.dump(2);
  EXPECT_EQ(s["clusters"]["main"]["settings"]["containerInsights"], "enabled");
  EXPECT_EQ(s["clusters"]["main"]["tags"]["infra:address"], "aws_ecs_cluster.cluster");
  std::string td = ActiveRevision(s, "web");
  ASSERT_NE(td.find("task-definition/web:1"), std::string::npos) << s.dump(2);
  EXPECT_EQ(s["tds"][td]["image"], "nginx:1.27");
  EXPECT_EQ(s["tds"][td]["tags"]["infra:address"], "aws_ecs_task_definition.task");
  ASSERT_TRUE(s["services"].contains("web")) << s.dump(2);
  EXPECT_EQ(s["services"]["web"]["desired"], 1);
  EXPECT_EQ(s["services"]["web"]["td"], td);
  EXPECT_EQ(s["services"]["web"]["tags"]["team"], "app");
  ASSERT_EQ(s["targets"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["targets"][0], nlohmann::json({{"resource", "service/main/web"}, {"min", 1}, {"max", 4}}));
  ASSERT_EQ(s["policies"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["policies"][0]["metric"], "ECSServiceAverageMemoryUtilization");

  // AWS returned the definitions with its defaults; written with or without them, no change.
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var insights=disabled -var tasks=3 -var max=6 -var target=60";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  for (const char* a : {"aws_ecs_cluster.cluster", "aws_ecs_service.web", "aws_appautoscaling_target.scaling",
                        "aws_appautoscaling_policy.cpu"})
    EXPECT_NE(plan.out.find(std::string(a) + " will be updated in-place"), std::string::npos) << a << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  EXPECT_EQ(s["clusters"]["main"]["settings"]["containerInsights"], "disabled");
  EXPECT_EQ(s["services"]["web"]["desired"], 3);
  EXPECT_EQ(s["targets"][0]["max"], 6);
  EXPECT_EQ(s["policies"][0]["target"], 60.0);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  // A new image: the task definition is replaced (revision 2), the service updated to it.
  vars += " -var image=nginx:1.28";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ecs_task_definition.task must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_ecs_service.web will be updated in-place"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  std::string td2 = ActiveRevision(s, "web");
  EXPECT_NE(td2.find("task-definition/web:2"), std::string::npos) << s.dump(2);
  EXPECT_EQ(Status(td), "INACTIVE");
  EXPECT_EQ(s["tds"][td2]["image"], "nginx:1.28");
  EXPECT_EQ(s["services"]["web"]["td"], td2);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  // Import: forget each object, take it back by its id, plan nothing.
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"aws_ecs_cluster.cluster", "main"},
      {"aws_ecs_service.web", "main/web"},
      {"aws_appautoscaling_target.scaling", "ecs/service/main/web/ecs:service:DesiredCount"},
      {"aws_appautoscaling_policy.cpu", "ecs/service/main/web/ecs:service:DesiredCount/cpu"},
      {"aws_ecs_task_definition.sidecar", ActiveRevision(s, "sidecar")}};
  for (const auto& [address, id] : ids) {
    ASSERT_EQ(Infra("state rm " + address).exit_code, 0) << address;
    auto imported = Infra("import " + address + " " + ShellQuote(id) + " " + vars);
    ASSERT_EQ(imported.exit_code, 0) << address << imported.out << imported.err;
  }
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Snapshot();
  EXPECT_TRUE(s["clusters"].empty()) << s.dump(2);
  EXPECT_TRUE(s["services"].empty()) << s.dump(2);
  EXPECT_TRUE(s["targets"].empty()) << s.dump(2);
  EXPECT_TRUE(s["policies"].empty()) << s.dump(2);
  EXPECT_EQ(ActiveRevision(s, "web"), "");
  EXPECT_EQ(ActiveRevision(s, "sidecar"), "");
}

}  // namespace
}  // namespace infra::test
