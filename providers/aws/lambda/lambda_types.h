// The Lambda family (REST-JSON, 2015-03-31): one Add*Types per file of
// providers/aws/lambda/, called by providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddLambdaFunctionTypes(TypeRegistry& registry);    // function.cpp: aws_lambda_function
void AddLambdaPermissionTypes(TypeRegistry& registry);  // permission.cpp: aws_lambda_permission
void AddLambdaAliasTypes(TypeRegistry& registry);       // alias.cpp: aws_lambda_alias

}  // namespace infra::aws
