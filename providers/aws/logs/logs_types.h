// The CloudWatch Logs family (awsJson 1.1, Logs_20140328): one Add*Types
// per file of providers/aws/logs/, called by providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddLogGroupTypes(TypeRegistry& registry);  // log_group.cpp: aws_cloudwatch_log_group

}  // namespace infra::aws
