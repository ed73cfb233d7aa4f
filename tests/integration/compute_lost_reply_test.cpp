// Crash recovery of the ECS family: the replies of CreateCluster,
// RegisterTaskDefinition and CreateService are cut (AWS made the object,
// infra never heard). moto would overwrite a service of the same name (and
// register another revision), so the engine finds each by its unique name
// plus its infra:address tag and adopts it: one apply, each create sent once,
// exactly one cluster, revision and service, and an empty plan after.
#include <gtest/gtest.h>

#include "elbv2_fixture.h"
#include "support/fault_proxy.h"

namespace infra::test {
namespace {

class ComputeLostReplyTest : public Elbv2Test {
 protected:
  FaultProxy proxy_{moto_.port()};
};

TEST_F(ComputeLostReplyTest, LostCreateRepliesAreAdoptedNeverMadeTwice) {
  WriteStack(R"(stack: ecs-lost
regions:
  primary: eu-central-1
resources:
  vpc: {type: aws_vpc, cidr_block: 10.60.0.0/16}
  subnet: {type: aws_subnet, vpc_id: "${vpc.id}", cidr_block: 10.60.1.0/24, availability_zone: eu-central-1a}
  sg: {type: aws_security_group, name: app, description: app, vpc_id: "${vpc.id}"}
  cluster: {type: aws_ecs_cluster, name: main}
  task:
    type: aws_ecs_task_definition
    family: web
    network_mode: awsvpc
    requires_compatibilities: [FARGATE]
    cpu: 256
    memory: 512
    container_definitions: [{name: web, image: "nginx:1.27", portMappings: [{containerPort: 80}]}]
  web:
    type: aws_ecs_service
    name: web
    cluster: ${cluster.arn}
    task_definition: ${task.arn}
    desired_count: 2
    launch_type: FARGATE
    network_configuration: {subnets: ["${subnet.id}"], security_groups: ["${sg.id}"]}
)");
  const std::string ecs = "AmazonEC2ContainerServiceV20141113.";
  proxy_.Script({Fault::CutShort(20, ecs + "CreateCluster"), Fault::CutShort(20, ecs + "RegisterTaskDefinition"),
                 Fault::CutShort(20, ecs + "CreateService")});
  auto apply = Infra("apply --auto-approve", proxy_.endpoint());
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(proxy_.pending(), 0u) << "every fault was hit";
  for (const char* action : {"CreateCluster", "RegisterTaskDefinition", "CreateService"})
    EXPECT_EQ(proxy_.requests(ecs + action), 1) << action << " adopted, never sent again";
  auto r = Boto3(R"PY(
ecs = boto3.client("ecs", region_name="eu-central-1", endpoint_url=ENDPOINT)
clusters = ecs.list_clusters()["clusterArns"]
services = ecs.describe_services(cluster="main", services=["web"])["services"]
print(json.dumps({"clusters": len(clusters), "revisions": ecs.list_task_definitions(familyPrefix="web")["taskDefinitionArns"],
                  "desired": [s["desiredCount"] for s in services]}))
)PY");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.json["clusters"], 1) << r.json.dump();
  EXPECT_EQ(r.json["revisions"].size(), 1u) << r.json.dump();
  EXPECT_EQ(r.json["desired"], nlohmann::json({2})) << r.json.dump();
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  auto destroy = Infra("destroy --auto-approve");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
}

}  // namespace
}  // namespace infra::test
