// What the Lambda types share: the service (REST-JSON, tags as a map by the
// function's ARN, TagResource / UntagResource / ListTags) and every REST
// route they call (botocore's `http` traits). The code: function_code.h.
#pragma once
#include <map>
#include <string>

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

}  // namespace infra::aws::lambda
