// The SSM family (awsJson 1.1, AmazonSSM): one Add*Types per file of
// providers/aws/ssm/, called by providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddSsmParameterTypes(TypeRegistry& registry);  // parameter.cpp: aws_ssm_parameter, data.aws_ssm_parameter

}  // namespace infra::aws
