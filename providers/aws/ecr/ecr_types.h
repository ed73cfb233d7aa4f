// The ECR family (awsJson 1.1, AmazonEC2ContainerRegistry_V20150921): one
// Add*Types per file of providers/aws/ecr/, called by
// providers/aws/aws_provider.cpp; the service all of them share.
#pragma once
#include "providers/aws/kit/wire.h"

namespace infra::aws {

class TypeRegistry;

void AddEcrRepositoryTypes(TypeRegistry& registry);   // repository.cpp: aws_ecr_repository
void AddEcrLifecyclePolicyTypes(TypeRegistry& registry);  // lifecycle_policy.cpp: aws_ecr_lifecycle_policy
void AddEcrReplicationTypes(TypeRegistry& registry);  // replication.cpp: aws_ecr_replication_configuration

namespace ecr {
/// ECR: tags as [{Key, Value}] at create and by TagResource on the ARN.
inline kit::Service Service() {
  kit::Service s{"ecr", kit::Protocol::kJson, {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}};
  s.tags.json.shape = kit::JsonTagging::Shape::kKeyValueUpper;
  return s;
}
}  // namespace ecr

}  // namespace infra::aws
