// The IAM family (global): one Add*Types per file of providers/aws/iam/,
// called by the provider registry (providers/aws/aws_provider.cpp).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddIamRoleTypes(TypeRegistry& registry);          // role.cpp: aws_iam_role
void AddIamPolicyTypes(TypeRegistry& registry);        // policy.cpp: aws_iam_policy
void AddIamRolePolicyTypes(TypeRegistry& registry);    // role_policy.cpp: aws_iam_role_policy, _attachment
void AddIamOidcProviderTypes(TypeRegistry& registry);  // oidc_provider.cpp: aws_iam_openid_connect_provider

}  // namespace infra::aws
