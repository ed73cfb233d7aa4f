// aws_appautoscaling_target: a scalable target (an ECS service's
// DesiredCount between min_capacity and max_capacity). Registering again
// updates min / max in place; the namespace, resource and dimension force a
// new target. The id is "namespace/resource-id/dimension"; reads batch
// DescribeScalableTargets by up to 50 resource ids per namespace.
#include <memory>

#include "providers/aws/appautoscaling/appautoscaling_types.h"
#include "providers/aws/kit/grouped_read_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

std::string TargetId(const Attributes& a) {
  return kit::AttrText(a, "service_namespace") + "/" + kit::AttrText(a, "resource_id") + "/" +
         kit::AttrText(a, "scalable_dimension");
}

kit::Spec TargetSpec() {
  provider::ResourceSchema s;
  s.type = "aws_appautoscaling_target";
  s.service = "application-autoscaling";
  s.taggable = false;
  s.attributes = {
      Required("service_namespace", kForceNew),
      Required("resource_id", kForceNew),
      Required("scalable_dimension", kForceNew),
      Range(Required("min_capacity", kNone, AttrType::kNumber), 0, 1e9),
      Range(Required("max_capacity", kNone, AttrType::kNumber), 0, 1e9),
      OptionalComputed("role_arn"),
      Computed("id"),
      Computed("arn"),
  };
  kit::Spec spec{std::move(s), appautoscaling::Service(), {
      {"service_namespace", "ServiceNamespace"},
      {"resource_id", "ResourceId"},
      {"scalable_dimension", "ScalableDimension"},
      {"min_capacity", "MinCapacity", "", kit::Conv::kNumber},
      {"max_capacity", "MaxCapacity", "", kit::Conv::kNumber},
      {"role_arn", "RoleARN"},
      {"arn", "", "ScalableTargetARN", kit::Conv::kString, kit::kRead},
  }, {"RegisterScalableTarget", ""}};
  spec.updates = {{{"min_capacity", "max_capacity"}, "RegisterScalableTarget", {"min_capacity", "max_capacity"}}};
  spec.del = {"DeregisterScalableTarget", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeScalableTargets", "ResourceIds", "ScalableTargets"};
  spec.json.page_token = "NextToken";
  spec.json.hooks.id_body = [](const std::string& id) {
    auto p = appautoscaling::ParseId(id, false);
    return nlohmann::json{
        {"ServiceNamespace", p.namespace_}, {"ResourceId", p.resource_id}, {"ScalableDimension", p.dimension}};
  };
  spec.json.hooks.id_of = [](const Attributes& desired, const nlohmann::json&) { return TargetId(desired); };
  return spec;
}

kit::GroupedRead TargetRead() {
  kit::GroupedRead r;
  r.bodies = [](const std::vector<std::string>& ids) {  // 50 resource ids a call, one namespace each
    auto split = [](const std::string& id) {
      auto p = appautoscaling::ParseId(id, false);
      return std::pair{p.namespace_, p.resource_id};
    };
    return kit::BodiesByParent(ids, 50, split, [](const std::string& ns, const auto& resources) {
      return nlohmann::json{{"ServiceNamespace", ns}, {"ResourceIds", resources}};
    });
  };
  r.item_ids = [](const nlohmann::json& item) {
    return std::vector<std::string>{kit::AttrText(item, "ServiceNamespace") + "/" + kit::AttrText(item, "ResourceId") +
                                    "/" + kit::AttrText(item, "ScalableDimension")};
  };
  r.adopt_id = TargetId;  // registering is idempotent; untagged
  return r;
}

}  // namespace

void AddAppAutoscalingTargetTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::GroupedReadType>(p.client(), TargetSpec(), TargetRead()));
}

}  // namespace infra::aws
