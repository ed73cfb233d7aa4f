// What the Lambda types share: the service (REST-JSON, tags as a map by the
// function's ARN, TagResource / UntagResource), every REST route they call
// (botocore's `http` traits), and the function code as the API takes it.
#pragma once
#include <map>
#include <string>

#include "common/result.h"
#include "providers/aws/kit/rest_wire.h"
#include "providers/aws/kit/wire.h"
#include "providers/provider.h"

namespace infra::aws::lambda {

/// The "lambda" service; `tagged` adds the function's tag calls.
kit::Service Service(bool tagged);

/// The route of every Lambda operation the family calls.
const std::map<std::string, kit::RestRoute>& Routes();

/// API Gateway's invoke ARN of a function or alias ARN
/// (arn:P:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations);
/// "" when `arn` is not an ARN.
std::string InvokeArn(const std::string& arn);

/// The `Code` of CreateFunction / the members of UpdateFunctionCode from
/// desired: ZipFile (the base64 of the file at `filename`), or S3Bucket /
/// S3Key / S3ObjectVersion, or ImageUri. Error (kInvalid) naming the file
/// when it cannot be read.
Result<nlohmann::json> CodeOf(const provider::Attributes& desired);

}  // namespace infra::aws::lambda
