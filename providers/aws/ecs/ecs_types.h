// The ECS family (awsJson 1.1, AmazonEC2ContainerServiceV20141113): one
// Add*Types per file of providers/aws/ecs/, called by
// providers/aws/aws_provider.cpp; the service and the name helpers all of
// them share.
#pragma once
#include <string>

#include "providers/aws/kit/wire.h"

namespace infra::aws {

class TypeRegistry;

void AddEcsClusterTypes(TypeRegistry& registry);         // cluster.cpp: aws_ecs_cluster (+ data source)
void AddEcsTaskDefinitionTypes(TypeRegistry& registry);  // task_definition.cpp: aws_ecs_task_definition
void AddEcsServiceTypes(TypeRegistry& registry);         // service.cpp: aws_ecs_service

namespace ecs {
/// ECS: tags as [{key, value}] at create and by TagResource on the ARN;
/// read inline (describe with include=[TAGS]).
inline kit::Service Service() {
  kit::Service s{"ecs", kit::Protocol::kJson, {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}};
  s.tags.json.shape = kit::JsonTagging::Shape::kKeyValue;
  s.tags.json.list_action = "";
  s.not_found_codes = {"ClusterNotFoundException", "ServiceNotFoundException"};
  return s;
}
/// The last '/'-separated part: a cluster's name from its ARN or name.
inline std::string LastPart(const std::string& s) { return s.substr(s.rfind('/') + 1); }
}  // namespace ecs

}  // namespace infra::aws
