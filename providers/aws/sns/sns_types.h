// The SNS family (AWS query, 2010-03-31): one Add*Types per file of
// providers/aws/sns/, called by providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddSnsTopicTypes(TypeRegistry& registry);         // topic.cpp: aws_sns_topic
void AddSnsSubscriptionTypes(TypeRegistry& registry);  // topic_subscription.cpp: aws_sns_topic_subscription

}  // namespace infra::aws
