// The Secrets Manager family (regional, awsJson 1.1): one Add*Types per file
// of providers/aws/secretsmanager/, called by the provider registry.
#pragma once

#include "providers/aws/kit/spec.h"

namespace infra::aws {

class TypeRegistry;

void AddSecretTypes(TypeRegistry& registry);         // secret.cpp: aws_secretsmanager_secret
void AddSecretVersionTypes(TypeRegistry& registry);  // secret_version.cpp: aws_secretsmanager_secret_version
                                                     //   and its data source

namespace secretsmanager {
/// The service: [{Key,Value}] tags inline in DescribeSecret, TagResource /
/// UntagResource by SecretId.
kit::Service Service();
}  // namespace secretsmanager

}  // namespace infra::aws
