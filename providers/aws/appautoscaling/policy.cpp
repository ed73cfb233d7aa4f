// aws_appautoscaling_policy: a scaling policy of one scalable target;
// TargetTrackingScaling on a predefined metric (ECSServiceAverageCPUUtilization,
// ECSServiceAverageMemoryUtilization, ...) with target_value and cooldowns.
// A change puts the policy again (in place); its name and target force a new
// one. The id is "namespace/resource-id/dimension/name"; reads batch
// DescribeScalingPolicies by up to 50 names per namespace and resource.
#include <memory>
#include <utility>

#include "providers/aws/appautoscaling/appautoscaling_types.h"
#include "providers/aws/kit/grouped_read_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;

std::string PolicyId(const Attributes& a) {
  return kit::AttrText(a, "service_namespace") + "/" + kit::AttrText(a, "resource_id") + "/" +
         kit::AttrText(a, "scalable_dimension") + "/" + kit::AttrText(a, "name");
}

kit::Spec PolicySpec() {
  provider::ResourceSchema s;
  s.type = "aws_appautoscaling_policy";
  s.service = "application-autoscaling";
  s.taggable = false;
  s.attributes = {
      Required("name", kForceNew),
      Required("service_namespace", kForceNew),
      Required("resource_id", kForceNew),
      Required("scalable_dimension", kForceNew),
      OneOf(Optional("policy_type", kNone, AttrType::kString, "StepScaling"),
            {"StepScaling", "TargetTrackingScaling", "PredictiveScaling"}),
      Block("target_tracking_scaling_policy_configuration", AttrMode::kOptional,
            {Required("target_value", kNone, AttrType::kNumber),
             Block("predefined_metric_specification", AttrMode::kOptional,
                   {OneOf(Required("predefined_metric_type"),
                          {"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
                           "ALBRequestCountPerTarget"}),
                    Optional("resource_label")}),
             Optional("scale_in_cooldown", kNone, AttrType::kNumber),
             Optional("scale_out_cooldown", kNone, AttrType::kNumber),
             OptionalComputed("disable_scale_in", kNone, AttrType::kBool)}),
      Computed("id"),
      Computed("arn"),
      Computed("alarm_arns", AttrType::kListString),
  };
  const std::string tt = "target_tracking_scaling_policy_configuration.",
                    wire = "TargetTrackingScalingPolicyConfiguration.";
  kit::Spec spec{std::move(s), appautoscaling::Service(), {
      {"name", "PolicyName"},
      {"service_namespace", "ServiceNamespace"},
      {"resource_id", "ResourceId"},
      {"scalable_dimension", "ScalableDimension"},
      {"policy_type", "PolicyType"},
      {tt + "target_value", wire + "TargetValue", "", kit::Conv::kNumber},
      {tt + "predefined_metric_specification.predefined_metric_type",
       wire + "PredefinedMetricSpecification.PredefinedMetricType"},
      {tt + "predefined_metric_specification.resource_label", wire + "PredefinedMetricSpecification.ResourceLabel"},
      {tt + "scale_in_cooldown", wire + "ScaleInCooldown", "", kit::Conv::kNumber},
      {tt + "scale_out_cooldown", wire + "ScaleOutCooldown", "", kit::Conv::kNumber},
      {tt + "disable_scale_in", wire + "DisableScaleIn", "", kit::Conv::kBool},
      {"arn", "", "PolicyARN", kit::Conv::kString, kit::kRead},
      {"alarm_arns[]", "", "Alarms[].AlarmARN", kit::Conv::kString, kit::kRead},
  }, {"PutScalingPolicy", ""}};
  spec.updates = {{{"policy_type", "target_tracking_scaling_policy_configuration"}, "PutScalingPolicy"}};
  spec.del = {"DeleteScalingPolicy", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeScalingPolicies", "PolicyNames", "ScalingPolicies"};
  spec.json.page_token = "NextToken";
  spec.json.hooks.id_body = [](const std::string& id) {
    auto p = appautoscaling::ParseId(id, true);
    return nlohmann::json{{"PolicyName", p.policy}, {"ServiceNamespace", p.namespace_},
                          {"ResourceId", p.resource_id}, {"ScalableDimension", p.dimension}};
  };
  spec.json.hooks.id_of = [](const Attributes& desired, const nlohmann::json&) { return PolicyId(desired); };
  return spec;
}

kit::GroupedRead PolicyRead() {
  kit::GroupedRead r;
  r.bodies = [](const std::vector<std::string>& ids) {  // 50 names a call, one scalable target each
    auto split = [](const std::string& id) {
      auto last = id.rfind('/');
      return std::pair{id.substr(0, last), id.substr(last + 1)};  // the target's id, the policy name
    };
    return kit::BodiesByParent(ids, 50, split, [](const std::string& target, const auto& names) {
      auto p = appautoscaling::ParseId(target, false);
      return nlohmann::json{{"ServiceNamespace", p.namespace_}, {"ResourceId", p.resource_id}, {"PolicyNames", names}};
    });
  };
  r.item_ids = [](const nlohmann::json& item) {
    return std::vector<std::string>{kit::AttrText(item, "ServiceNamespace") + "/" + kit::AttrText(item, "ResourceId") +
                                    "/" + kit::AttrText(item, "ScalableDimension") + "/" +
                                    kit::AttrText(item, "PolicyName")};
  };
  r.adopt_id = PolicyId;  // putting it again is idempotent; untagged
  return r;
}

}  // namespace

void AddAppAutoscalingPolicyTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::GroupedReadType>(p.client(), PolicySpec(), PolicyRead()));
}

}  // namespace infra::aws
