// The DynamoDB family (regional, awsJson 1.0): one Add*Types per file of
// providers/aws/dynamodb/, called by the provider registry.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddDynamoDbTableTypes(TypeRegistry& registry);  // table.cpp: aws_dynamodb_table

}  // namespace infra::aws
