// The configuration of aws_lambda_function: its schema, the one field table
// over a FunctionConfiguration (GetFunction's "Configuration." or a
// ListFunctions item) that create, update and both reads share, what that
// table cannot say, and the blocks an update must send empty to clear.
#pragma once
#include <string>
#include <vector>

#include "providers/aws/kit/spec.h"
#include "providers/provider.h"

namespace infra::aws::lambda {

/// The aws_lambda_function schema (code by exactly one of filename,
/// s3_bucket, image_uri; reserved concurrency, description and KMS key
/// cleared when removed from the stack).
provider::ResourceSchema FunctionSchema();

/// The field table over a FunctionConfiguration under `cfg` ("Configuration."
/// in GetFunction's reply, "" in ListFunctions' items, which carry neither
/// reserved concurrency nor the image URI).
std::vector<kit::Field> ConfigFields(const std::string& cfg);

/// What the field table cannot say, from `item` (the configuration under
/// `cfg`): layer ARNs, the VPC id, invoke_arn, and null for the blocks AWS
/// no longer reports (drift, not "kept from state").
void ReadConfig(const nlohmann::json& item, const std::string& cfg, provider::Attributes& a);

/// `desired` with the blocks removed since `prior` sent empty (AWS keeps a
/// block left out of UpdateFunctionConfiguration).
provider::Attributes Cleared(const provider::Attributes& prior, const provider::Attributes& desired);

}  // namespace infra::aws::lambda
