// The EventBridge family (awsJson 1.1, target prefix AWSEvents): one
// Add*Types per file of providers/aws/events/, called by
// providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddEventRuleTypes(TypeRegistry& registry);    // rule.cpp: aws_cloudwatch_event_rule
void AddEventTargetTypes(TypeRegistry& registry);  // target.cpp: aws_cloudwatch_event_target

}  // namespace infra::aws
