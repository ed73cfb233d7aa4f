// The KMS family (regional, awsJson 1.1): one Add*Types per file of
// providers/aws/kms/, called by the provider registry (aws_provider.cpp).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddKmsKeyTypes(TypeRegistry& registry);    // key.cpp: aws_kms_key, aws_kms_replica_key
void AddKmsAliasTypes(TypeRegistry& registry);  // alias.cpp: aws_kms_alias

}  // namespace infra::aws
