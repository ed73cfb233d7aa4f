// The ECS family over a scripted client, with golden wire fixtures
// (tests/data/aws/wire/aws_ecs_*.json): the cluster's settings and
// [{key,value}] tags, DescribeClusters with include; the task definition's
// revision (replacement), containerDefinitions sent as a list, the
// definitions kept from state on refresh and read without AWS's defaults on
// import; the service's batched read (10 per cluster), waits, in-place
// desired_count, forced delete waiting out DRAINING, adoption by name + tag.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using provider::Phase;
using provider::PollStatus;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const std::string kArn = "arn:aws:ecs:eu-west-1:123456789012:";

json EcsTags(const std::string& address) {
  return {{{"key", "infra:address"}, {"value", address}}, {{"key", "infra:stack"}, {"value", "s"}},
          {{"key", "team"}, {"value", "a"}}};
}

json Cluster(const std::string& name, const std::string& insights = "enabled", const std::string& status = "ACTIVE") {
  return {{"clusterArn", kArn + "cluster/" + name}, {"clusterName", name}, {"status", status},
          {"settings", {{{"name", "containerInsights"}, {"value", insights}}}},
          {"tags", EcsTags("aws_ecs_cluster." + name)}};
}

json TaskDefinition(int revision, const std::string& status = "ACTIVE") {
  return {{"taskDefinition",
           {{"taskDefinitionArn", kArn + "task-definition/app:" + std::to_string(revision)},
            {"family", "app"}, {"revision", revision}, {"status", status}, {"networkMode", "awsvpc"},
            {"requiresCompatibilities", {"FARGATE"}}, {"cpu", "256"}, {"memory", "512"},
            {"executionRoleArn", "arn:aws:iam::123456789012:role/exec"},
            {"containerDefinitions", json::parse(R"([{"name":"app","image":"nginx:1.27","cpu":0,
              "portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}],"essential":true,
              "environment":[],"mountPoints":[],"volumesFrom":[]}])")}}},
          {"tags", EcsTags("aws_ecs_task_definition.app")}};
}

json Service(const std::string& name, int desired, int running = 0, const std::string& status = "ACTIVE") {
  return {{"serviceArn", kArn + "service/main/" + name}, {"serviceName", name}, {"clusterArn", kArn + "cluster/main"},
          {"status", status}, {"desiredCount", desired}, {"runningCount", running},
          {"taskDefinition", kArn + "task-definition/app:1"}, {"launchType", "FARGATE"},
          {"deployments", {{{"status", "PRIMARY"}}}},
          {"networkConfiguration",
           {{"awsvpcConfiguration", {{"subnets", {"subnet-1"}}, {"securityGroups", {"sg-1"}}, {"assignPublicIp", "DISABLED"}}}}},
          {"loadBalancers", {{{"targetGroupArn", "arn:tg"}, {"containerName", "app"}, {"containerPort", 80}}}},
          {"tags", EcsTags("aws_ecs_service." + name)}};
}

json DesiredService(int count) {
  return {{"name", "web"}, {"cluster", kArn + "cluster/main"}, {"task_definition", kArn + "task-definition/app:1"},
          {"desired_count", count}, {"launch_type", "FARGATE"},
          {"network_configuration", {{"subnets", {"subnet-1"}}, {"security_groups", {"sg-1"}}, {"assign_public_ip", false}}},
          {"load_balancer", {{{"target_group_arn", "arn:tg"}, {"container_name", "app"}, {"container_port", 80}}}},
          {"deployment_minimum_healthy_percent", 50}, {"deployment_maximum_percent", 200},
          {"deployment_circuit_breaker", {{"enable", true}, {"rollback", true}}},
          {"enable_execute_command", false}, {"wait_for_steady_state", false}, {"tags", {{"team", "a"}}}};
}

class EcsTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

// ---- aws_ecs_cluster

TEST_F(EcsTypesTest, ClusterCreateSendsSettingsAndTagsAndReadsWithInclude) {
  client_->ReplyJson("CreateCluster", {{"cluster", Cluster("main")}});
  client_->ReplyJson("DescribeClusters", {{"clusters", {Cluster("main")}}, {"failures", json::array()}});
  auto r = T("aws_ecs_cluster").Create(Ctx("aws_ecs_cluster.main"),
      {{"name", "main"}, {"setting", {{{"name", "containerInsights"}, {"value", "enabled"}}}}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_cluster", "create"));
  EXPECT_EQ(r->attributes["id"], kArn + "cluster/main");
  EXPECT_EQ(r->attributes["arn"], kArn + "cluster/main");
  EXPECT_EQ(r->attributes["setting"], json::parse(R"([{"name":"containerInsights","value":"enabled"}])"));
  EXPECT_EQ(r->attributes["tags"], json({{"team", "a"}}));
}

TEST_F(EcsTypesTest, ClusterReadIsOneCallForManyAndInactiveIsGone) {
  client_->ReplyJson("DescribeClusters",
                     {{"clusters", {Cluster("a"), Cluster("b", "enabled", "INACTIVE")}},
                      {"failures", {{{"arn", kArn + "cluster/c"}, {"reason", "MISSING"}}}}});
  auto got = T("aws_ecs_cluster").Read("eu-west-1", {kArn + "cluster/a", kArn + "cluster/b", kArn + "cluster/c"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[kArn + "cluster/a"]["name"], "a");
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_cluster", "read"));
}

TEST_F(EcsTypesTest, ClusterSettingChangesInPlaceAndDeleteNamesTheCluster) {
  json prior = {{"id", kArn + "cluster/main"}, {"arn", kArn + "cluster/main"}, {"name", "main"},
                {"setting", {{{"name", "containerInsights"}, {"value", "enabled"}}}}, {"tags", {{"team", "a"}}}};
  json desired = prior;
  desired["setting"][0]["value"] = "disabled";
  EXPECT_TRUE(T("aws_ecs_cluster").RequiresReplace(prior, desired).empty());
  client_->ReplyJson("UpdateCluster", {{"cluster", Cluster("main", "disabled")}});
  client_->ReplyJson("DescribeClusters", {{"clusters", {Cluster("main", "disabled")}}});
  client_->ReplyJson("DeleteCluster", {{"cluster", Cluster("main", "disabled", "INACTIVE")}});
  auto u = T("aws_ecs_cluster").Update(Ctx("aws_ecs_cluster.main"), prior, desired);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(u->attributes["setting"][0]["value"], "disabled");
  auto d = T("aws_ecs_cluster").Delete(Ctx("aws_ecs_cluster.main"), desired);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_cluster", "update_delete"));
}

TEST_F(EcsTypesTest, ClusterAdoptionNeedsThisAddressTagsAndImportTagsIt) {
  client_->ReplyJson("DescribeClusters", {{"clusters", {Cluster("main")}}});
  auto mine = T("aws_ecs_cluster").FindByAddress(Ctx("aws_ecs_cluster.main"), {{"name", "main"}});
  ASSERT_TRUE(mine.ok() && mine->has_value());
  EXPECT_EQ((**mine)["id"], kArn + "cluster/main");
  client_->ReplyJson("DescribeClusters", {{"clusters", {Cluster("main")}}});
  auto other = T("aws_ecs_cluster").FindByAddress(Ctx("aws_ecs_cluster.other"), {{"name", "main"}});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  client_->ReplyJson("DescribeClusters", {{"clusters", {Cluster("main")}}});
  client_->ReplyJson("TagResource", json::object());
  auto imported = T("aws_ecs_cluster").Import(Ctx("aws_ecs_cluster.main"), "main");
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ(client_->calls().back().action, "TagResource");
  EXPECT_EQ(client_->calls().back().body["resourceArn"], kArn + "cluster/main");
}

TEST_F(EcsTypesTest, ClusterDataSourceReadsByName) {
  auto* data = provider_->FindData("aws_ecs_cluster");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->schema().Find("cluster_name")->mode, provider::AttrMode::kRequired);
  EXPECT_EQ(data->schema().Find("arn")->mode, provider::AttrMode::kComputed);
  client_->ReplyJson("DescribeClusters", {{"clusters", {Cluster("main")}}});
  auto got = data->Read(Ctx("data.aws_ecs_cluster.main"), {{"cluster_name", "main"}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["arn"], kArn + "cluster/main");
  EXPECT_EQ(client_->calls()[0].body["clusters"], json({"main"}));
  client_->ReplyJson("DescribeClusters", {{"clusters", json::array()}, {"failures", {{{"reason", "MISSING"}}}}});
  auto none = data->Read(Ctx("data.aws_ecs_cluster.main"), {{"cluster_name", "nope"}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, Error::Kind::kNotFound);
}

// ---- aws_ecs_task_definition

json DesiredTaskDefinition() {
  return {{"family", "app"}, {"network_mode", "awsvpc"}, {"requires_compatibilities", {"FARGATE"}},
          {"cpu", "256"}, {"memory", "512"}, {"execution_role_arn", "arn:aws:iam::123456789012:role/exec"},
          {"container_definitions", json::parse(R"([{"name":"app","image":"nginx:1.27","essential":true,
            "portMappings":[{"containerPort":80}]}])")},
          {"tags", {{"team", "a"}}}};
}

TEST_F(EcsTypesTest, TaskDefinitionRegistersARevisionAndEveryChangeReplacesIt) {
  client_->ReplyJson("RegisterTaskDefinition", TaskDefinition(1));
  client_->ReplyJson("DescribeTaskDefinition", TaskDefinition(1));
  auto r = T("aws_ecs_task_definition").Create(Ctx("aws_ecs_task_definition.app"), DesiredTaskDefinition());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_task_definition", "create"));
  EXPECT_EQ(r->attributes["id"], kArn + "task-definition/app:1");
  EXPECT_EQ(r->attributes["arn_without_revision"], kArn + "task-definition/app");
  EXPECT_EQ(r->attributes["revision"], 1);
  // Not read back: state keeps the definitions as the stack wrote them.
  EXPECT_FALSE(r->attributes.contains("container_definitions"));
  for (const char* attr : {"container_definitions", "cpu", "family", "execution_role_arn"})
    EXPECT_TRUE(T("aws_ecs_task_definition").schema().Find(attr)->force_new) << attr;
  EXPECT_FALSE(T("aws_ecs_task_definition").schema().Find("tags")->force_new);
}

TEST_F(EcsTypesTest, TaskDefinitionDeregisteredIsGoneAndDeleteDeregisters) {
  client_->ReplyJson("DescribeTaskDefinition", TaskDefinition(1, "INACTIVE"));
  client_->Fail("DescribeTaskDefinition", "ClientException", Error::Kind::kInvalid);  // "Unable to describe"
  auto got = T("aws_ecs_task_definition").Read("eu-west-1", {kArn + "task-definition/app:1", kArn + "task-definition/app:9"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(got->empty());
  client_->ReplyJson("DeregisterTaskDefinition", TaskDefinition(1, "INACTIVE"));
  auto d = T("aws_ecs_task_definition").Delete(Ctx("aws_ecs_task_definition.app"), {{"id", kArn + "task-definition/app:1"}});
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(client_->calls().back().body, json({{"taskDefinition", kArn + "task-definition/app:1"}}));
}

TEST_F(EcsTypesTest, TaskDefinitionImportReadsTheDefinitionsWithoutAwsDefaults) {
  client_->ReplyJson("DescribeTaskDefinition", TaskDefinition(3));
  client_->ReplyJson("TagResource", json::object());
  client_->ReplyJson("DescribeTaskDefinition", TaskDefinition(3));
  auto got = T("aws_ecs_task_definition").Import(Ctx("aws_ecs_task_definition.app"), kArn + "task-definition/app:3");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  const auto* defs = T("aws_ecs_task_definition").schema().Find("container_definitions");
  EXPECT_EQ((*got)["container_definitions"],
            json::parse(R"([{"name":"app","image":"nginx:1.27","portMappings":[{"containerPort":80}]}])"));
  json written = json::parse(R"([{"name":"app","image":"nginx:1.27","portMappings":[{"containerPort":"80"}]}])");
  EXPECT_TRUE(provider::SameValue(*defs, written, (*got)["container_definitions"]));
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_task_definition", "import"));
}

TEST_F(EcsTypesTest, TaskDefinitionAdoptsTheFamilysLatestRevisionButNotTheOldOne) {
  client_->ReplyJson("DescribeTaskDefinition", TaskDefinition(2));
  auto found = T("aws_ecs_task_definition").FindByAddress(Ctx("aws_ecs_task_definition.app"), DesiredTaskDefinition());
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], kArn + "task-definition/app:2");
  EXPECT_EQ(client_->calls()[0].body["taskDefinition"], "app");
  auto ctx = Ctx("aws_ecs_task_definition.app");
  ctx.exclude_ids = {kArn + "task-definition/app:2"};  // the replacement's old revision
  client_->ReplyJson("DescribeTaskDefinition", TaskDefinition(2));
  auto old = T("aws_ecs_task_definition").FindByAddress(ctx, DesiredTaskDefinition());
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value());
}

// ---- aws_ecs_service

TEST_F(EcsTypesTest, ServiceCreateSendsEverythingThenWaitsForActiveWithTheCount) {
  client_->ReplyJson("CreateService", {{"service", Service("web", 2)}});
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2)}}, {"failures", json::array()}});
  auto r = T("aws_ecs_service").Create(Ctx("aws_ecs_service.web"), DesiredService(2));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_service", "create"));
  EXPECT_TRUE(r->pending);
  EXPECT_EQ(r->attributes["id"], "main/web");
  EXPECT_EQ(r->attributes["arn"], kArn + "service/main/web");
  EXPECT_EQ(r->attributes["network_configuration"]["assign_public_ip"], false);
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2)}}});
  auto p = T("aws_ecs_service").Poll(Ctx("aws_ecs_service.web"), r->attributes, Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, PollStatus::kReady);  // moto's tasks never run: not needed without wait_for_steady_state
}

TEST_F(EcsTypesTest, ServiceSteadyStateWaitsForRunningTasks) {
  json current = DesiredService(2);
  current["id"] = "main/web";
  current["wait_for_steady_state"] = true;
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2, 0)}}});
  auto p = T("aws_ecs_service").Poll(Ctx("aws_ecs_service.web"), current, Phase::kUpdate);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kPending);
  EXPECT_EQ(p->detail, "0 of 2 tasks running");
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2, 2)}}});
  p = T("aws_ecs_service").Poll(Ctx("aws_ecs_service.web"), current, Phase::kUpdate);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kReady);
}

TEST_F(EcsTypesTest, ServiceDesiredCountAndTaskDefinitionChangeInPlace) {
  json prior = DesiredService(2);
  prior["id"] = "main/web";
  json desired = DesiredService(0);
  desired["task_definition"] = kArn + "task-definition/app:2";
  desired["network_configuration"]["assign_public_ip"] = true;
  EXPECT_TRUE(T("aws_ecs_service").RequiresReplace(prior, desired).empty());
  for (const char* attr : {"desired_count", "task_definition", "network_configuration"})
    EXPECT_FALSE(T("aws_ecs_service").schema().Find(attr)->force_new) << attr;
  for (const char* attr : {"name", "cluster", "launch_type", "load_balancer"})
    EXPECT_TRUE(T("aws_ecs_service").schema().Find(attr)->force_new) << attr;
  for (int i = 0; i < 3; ++i) client_->ReplyJson("UpdateService", {{"service", Service("web", 0)}});
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 0)}}});
  auto r = T("aws_ecs_service").Update(Ctx("aws_ecs_service.web"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_service", "update"));
}

TEST_F(EcsTypesTest, ServiceDeleteIsForcedAndWaitsWhileDraining) {
  json prior = DesiredService(2);
  prior["id"] = "main/web";
  client_->ReplyJson("DeleteService", {{"service", Service("web", 0, 0, "DRAINING")}});
  auto d = T("aws_ecs_service").Delete(Ctx("aws_ecs_service.web"), prior);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(d->pending);
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 0, 0, "DRAINING")}}});
  auto p = T("aws_ecs_service").Poll(Ctx("aws_ecs_service.web"), prior, Phase::kDelete);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kPending);
  EXPECT_EQ(p->detail, "status DRAINING");
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 0, 0, "INACTIVE")}}});
  p = T("aws_ecs_service").Poll(Ctx("aws_ecs_service.web"), prior, Phase::kDelete);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kReady);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecs_service", "delete"));
}

TEST_F(EcsTypesTest, ServiceReadIsTenPerCallPerCluster) {
  std::vector<std::string> ids;
  json first = json::array(), second = json::array();
  for (int i = 0; i < 11; ++i) {
    std::string name = "s" + std::to_string(i);
    ids.push_back("main/" + name);
    (i < 10 ? first : second).push_back(Service(name, 1));
  }
  ids.push_back("other/x");
  client_->ReplyJson("DescribeServices", {{"services", first}});
  client_->ReplyJson("DescribeServices", {{"services", second}});
  client_->ReplyJson("DescribeServices", {{"services", json::array()}, {"failures", {{{"reason", "MISSING"}}}}});
  auto got = T("aws_ecs_service").Read("eu-west-1", ids);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 11u);
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].body["cluster"], "main");
  EXPECT_EQ(calls[0].body["services"].size(), 10u);
  EXPECT_EQ(calls[0].body["include"], json({"TAGS"}));
  EXPECT_EQ(calls[1].body["services"], json({"s10"}));
  EXPECT_EQ(calls[2].body["cluster"], "other");
  EXPECT_EQ((*got)["main/s3"]["tags"], json({{"team", "a"}}));
}

TEST_F(EcsTypesTest, ServiceIsAdoptedByNameOnlyWithThisAddressTag) {
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2)}}});
  auto mine = T("aws_ecs_service").FindByAddress(Ctx("aws_ecs_service.web"), DesiredService(2));
  ASSERT_TRUE(mine.ok() && mine->has_value());
  EXPECT_EQ((**mine)["id"], "main/web");
  EXPECT_EQ(client_->calls()[0].body, json({{"cluster", "main"}, {"services", {"web"}}, {"include", {"TAGS"}}}));
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2)}}});
  auto theirs = T("aws_ecs_service").FindByAddress(Ctx("aws_ecs_service.other"), DesiredService(2));
  ASSERT_TRUE(theirs.ok());
  EXPECT_FALSE(theirs->has_value());
}

TEST_F(EcsTypesTest, ServiceImportByClusterSlashName) {
  client_->ReplyJson("DescribeServices", {{"services", {Service("web", 2)}}});
  client_->ReplyJson("TagResource", json::object());
  auto got = T("aws_ecs_service").Import(Ctx("aws_ecs_service.web"), "main/web");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["desired_count"], 2);
  EXPECT_EQ((*got)["cluster"], kArn + "cluster/main");  // as ${cluster.arn} gives it
  EXPECT_EQ((*got)["load_balancer"][0]["container_port"], 80);
  EXPECT_EQ((*got)["network_configuration"]["subnets"], json({"subnet-1"}));
  EXPECT_EQ(client_->calls().back().body["resourceArn"], kArn + "service/main/web");
}

// IAM propagation (issue 11, kit::Spec::propagation): a task or execution
// role made seconds ago ("Role is not valid") and a service role ECS cannot
// assume yet are NotFound, which the engine retries within the role's grace.
TEST_F(EcsTypesTest, RolesNotYetPropagatedAreRetriedNotReported) {
  client_->Fail("RegisterTaskDefinition", "ClientException", Error::Kind::kInvalid,
                "Role is not valid: arn:aws:iam::123456789012:role/exec");
  auto td = T("aws_ecs_task_definition").Create(Ctx("aws_ecs_task_definition.app"), DesiredTaskDefinition());
  ASSERT_FALSE(td.ok());
  EXPECT_EQ(td.error().kind, Error::Kind::kNotFound) << td.error().ToString();
  client_->Fail("CreateService", "InvalidParameterException", Error::Kind::kInvalid,
                "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service "
                "role being passed has the proper permissions.");
  auto svc = T("aws_ecs_service").Create(Ctx("aws_ecs_service.web"), DesiredService(2));
  ASSERT_FALSE(svc.ok());
  EXPECT_EQ(svc.error().kind, Error::Kind::kNotFound) << svc.error().ToString();
  client_->Fail("CreateService", "InvalidParameterException", Error::Kind::kInvalid, "desiredCount must be positive");
  auto other = T("aws_ecs_service").Create(Ctx("aws_ecs_service.web"), DesiredService(2));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, Error::Kind::kInvalid);
}

}  // namespace
}  // namespace infra::aws
