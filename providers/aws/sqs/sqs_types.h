// The SQS family (awsJson 1.0, AmazonSQS): one Add*Types per file of
// providers/aws/sqs/, called by providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddSqsQueueTypes(TypeRegistry& registry);  // queue.cpp: aws_sqs_queue

}  // namespace infra::aws
