// JSON 1.0 / 1.1 protocol (ECS, ECR, Logs, Secrets Manager, KMS, DynamoDB,
// Application Auto Scaling): a POST to "/" with X-Amz-Target
// "<targetPrefix>.<Operation>" and a JSON body; the reply is a JSON object.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "providers/aws/sdk/sigv4.h"

namespace infra::aws {

struct ServiceInfo;

/// The unsigned request for `operation` of a JSON-protocol service.
SigningRequest BuildJsonRequest(const ServiceInfo& service, std::string_view operation,
                                const nlohmann::json& body);

/// Parses a 2xx JSON reply; an empty body is `{}`. Error (kInternal,
/// "MalformedReply") names `what` when the body is not JSON.
Result<nlohmann::json> ParseJsonReply(const std::string& body, std::string_view what);

}  // namespace infra::aws
