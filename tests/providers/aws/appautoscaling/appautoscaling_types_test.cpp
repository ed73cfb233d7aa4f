// Application Auto Scaling over a scripted client, with golden wire
// fixtures (tests/data/aws/wire/aws_appautoscaling_*.json): a scalable
// target registered, read by ResourceIds per namespace, min / max changed
// in place by registering again, deregistered; a target-tracking policy on
// ECS CPU put, read by PolicyNames per resource, changed in place, deleted.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const std::string kResource = "service/main/web";
const std::string kTargetId = "ecs/service/main/web/ecs:service:DesiredCount";

json Target(int min, int max, const std::string& resource = kResource) {
  return {{"ServiceNamespace", "ecs"}, {"ResourceId", resource}, {"ScalableDimension", "ecs:service:DesiredCount"},
          {"MinCapacity", min}, {"MaxCapacity", max},
          {"RoleARN", "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/x"},
          {"ScalableTargetARN", "arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/1"}};
}

json DesiredTarget(int min, int max) {
  return {{"service_namespace", "ecs"}, {"resource_id", kResource},
          {"scalable_dimension", "ecs:service:DesiredCount"}, {"min_capacity", min}, {"max_capacity", max}};
}

json Policy(double target) {
  return {{"PolicyName", "cpu"}, {"ServiceNamespace", "ecs"}, {"ResourceId", kResource},
          {"ScalableDimension", "ecs:service:DesiredCount"}, {"PolicyType", "TargetTrackingScaling"},
          {"PolicyARN", "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:1:resource/ecs/service/main/web:policyName/cpu"},
          {"TargetTrackingScalingPolicyConfiguration",
           {{"TargetValue", target},
            {"PredefinedMetricSpecification", {{"PredefinedMetricType", "ECSServiceAverageCPUUtilization"}}},
            {"ScaleInCooldown", 300}, {"ScaleOutCooldown", 60}}},
          {"Alarms", {{{"AlarmName", "hi"}, {"AlarmARN", "arn:alarm:hi"}}, {{"AlarmName", "lo"}, {"AlarmARN", "arn:alarm:lo"}}}}};
}

json DesiredPolicy(double target) {
  return {{"name", "cpu"}, {"service_namespace", "ecs"}, {"resource_id", kResource},
          {"scalable_dimension", "ecs:service:DesiredCount"}, {"policy_type", "TargetTrackingScaling"},
          {"target_tracking_scaling_policy_configuration",
           {{"target_value", target},
            {"predefined_metric_specification", {{"predefined_metric_type", "ECSServiceAverageCPUUtilization"}}},
            {"scale_in_cooldown", 300}, {"scale_out_cooldown", 60}}}};
}

class AppAutoscalingTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(AppAutoscalingTest, TargetRegisterReadUpdateInPlaceAndDeregister) {
  client_->ReplyJson("RegisterScalableTarget", {{"ScalableTargetARN", "arn:st"}});
  client_->ReplyJson("DescribeScalableTargets", {{"ScalableTargets", {Target(1, 6)}}});
  auto r = T("aws_appautoscaling_target").Create(Ctx("aws_appautoscaling_target.web"), DesiredTarget(1, 6));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["id"], kTargetId);
  EXPECT_EQ(r->attributes["max_capacity"], 6);
  EXPECT_FALSE(r->attributes["role_arn"].get<std::string>().empty());
  json prior = r->attributes;
  json desired = DesiredTarget(2, 8);
  EXPECT_TRUE(T("aws_appautoscaling_target").RequiresReplace(prior, desired).empty());
  EXPECT_FALSE(T("aws_appautoscaling_target").schema().Find("min_capacity")->force_new);
  EXPECT_TRUE(T("aws_appautoscaling_target").schema().Find("resource_id")->force_new);
  client_->ReplyJson("RegisterScalableTarget", json::object());
  client_->ReplyJson("DescribeScalableTargets", {{"ScalableTargets", {Target(2, 8)}}});
  auto u = T("aws_appautoscaling_target").Update(Ctx("aws_appautoscaling_target.web"), prior, desired);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(u->attributes["min_capacity"], 2);
  client_->ReplyJson("DeregisterScalableTarget", json::object());
  ASSERT_TRUE(T("aws_appautoscaling_target").Delete(Ctx("aws_appautoscaling_target.web"), u->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_appautoscaling_target", "lifecycle"));
}

TEST_F(AppAutoscalingTest, TargetReadBatchesResourceIdsAndKeepsOnlyTheAsked) {
  client_->ReplyJson("DescribeScalableTargets",
                     {{"ScalableTargets", {Target(1, 6), Target(1, 2, "service/main/other")}}, {"NextToken", "p2"}});
  client_->ReplyJson("DescribeScalableTargets", {{"ScalableTargets", {Target(0, 1, "service/main/api")}}});
  auto got = T("aws_appautoscaling_target").Read("eu-west-1", {kTargetId, "ecs/service/main/api/ecs:service:DesiredCount",
                                                               "ecs/service/main/gone/ecs:service:DesiredCount"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 2u);
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].body, json({{"ServiceNamespace", "ecs"},
                                 {"ResourceIds", {"service/main/web", "service/main/api", "service/main/gone"}}}));
  EXPECT_EQ(calls[1].body["NextToken"], "p2");
}

TEST_F(AppAutoscalingTest, TargetImportReadsTheId) {
  client_->ReplyJson("DescribeScalableTargets", {{"ScalableTargets", {Target(1, 6)}}});
  auto got = T("aws_appautoscaling_target").Import(Ctx("aws_appautoscaling_target.web"), kTargetId);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["resource_id"], kResource);
  EXPECT_EQ(client_->calls().size(), 1u);  // untagged: nothing to tag
}

TEST_F(AppAutoscalingTest, PolicyPutReadChangeInPlaceAndDelete) {
  client_->ReplyJson("PutScalingPolicy", {{"PolicyARN", "arn:p"}, {"Alarms", json::array()}});
  client_->ReplyJson("DescribeScalingPolicies", {{"ScalingPolicies", {Policy(70)}}});
  auto r = T("aws_appautoscaling_policy").Create(Ctx("aws_appautoscaling_policy.cpu"), DesiredPolicy(70));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["id"], kTargetId + "/cpu");
  EXPECT_EQ(r->attributes["alarm_arns"], json({"arn:alarm:hi", "arn:alarm:lo"}));
  const auto* config = T("aws_appautoscaling_policy").schema().Find("target_tracking_scaling_policy_configuration");
  EXPECT_TRUE(provider::SameValue(*config, DesiredPolicy(70)[config->name],
                                  r->attributes["target_tracking_scaling_policy_configuration"]));
  EXPECT_FALSE(config->force_new);
  client_->ReplyJson("PutScalingPolicy", {{"PolicyARN", "arn:p"}});
  client_->ReplyJson("DescribeScalingPolicies", {{"ScalingPolicies", {Policy(60)}}});
  auto u = T("aws_appautoscaling_policy").Update(Ctx("aws_appautoscaling_policy.cpu"), r->attributes, DesiredPolicy(60));
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  client_->ReplyJson("DeleteScalingPolicy", json::object());
  ASSERT_TRUE(T("aws_appautoscaling_policy").Delete(Ctx("aws_appautoscaling_policy.cpu"), u->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_appautoscaling_policy", "lifecycle"));
}

TEST_F(AppAutoscalingTest, PolicyMetricTypeIsChecked) {
  const auto* config = T("aws_appautoscaling_policy").schema().Find("target_tracking_scaling_policy_configuration");
  const auto* metric = config->FindNested("predefined_metric_specification")->FindNested("predefined_metric_type");
  ASSERT_EQ(metric->checks.size(), 1u);
  EXPECT_EQ(metric->checks[0].values[1], "ECSServiceAverageMemoryUtilization");
}

}  // namespace
}  // namespace infra::aws
