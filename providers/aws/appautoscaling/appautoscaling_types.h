// The Application Auto Scaling family (awsJson 1.1, AnyScaleFrontendService):
// one Add*Types per file of providers/aws/appautoscaling/, called by
// providers/aws/aws_provider.cpp; the service and the id form both share.
#pragma once
#include <string>
#include <vector>

#include "providers/aws/kit/wire.h"

namespace infra::aws {

class TypeRegistry;

void AddAppAutoscalingTargetTypes(TypeRegistry& registry);  // target.cpp: aws_appautoscaling_target
void AddAppAutoscalingPolicyTypes(TypeRegistry& registry);  // policy.cpp: aws_appautoscaling_policy

namespace appautoscaling {
/// No tags: moto has no TagResource / ListTagsForResource for it.
inline kit::Service Service() {
  kit::Service s{"application-autoscaling", kit::Protocol::kJson, {}};
  s.not_found_codes = {"ObjectNotFoundException"};
  return s;
}
/// Ids are Terraform's import form, '/'-joined: "namespace/resource-id/dimension"
/// for a target, ".../policy-name" for a policy (resource ids hold '/').
struct Id {
  std::string namespace_, resource_id, dimension, policy;
};
inline Id ParseId(const std::string& id, bool with_policy) {
  Id out;
  std::string rest = id;
  auto slash = rest.find('/');
  out.namespace_ = rest.substr(0, slash);
  rest = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (with_policy) {
    auto last = rest.rfind('/');
    out.policy = last == std::string::npos ? rest : rest.substr(last + 1);
    rest = last == std::string::npos ? "" : rest.substr(0, last);
  }
  auto last = rest.rfind('/');
  out.dimension = last == std::string::npos ? rest : rest.substr(last + 1);
  out.resource_id = last == std::string::npos ? "" : rest.substr(0, last);
  return out;
}
}  // namespace appautoscaling

}  // namespace infra::aws
