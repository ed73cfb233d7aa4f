// JSON protocol framing: the content type carries the model's jsonVersion
// and the target header names the operation; the path is always "/".
#include "providers/aws/sdk/protocol_json.h"

#include <fmt/format.h>

#include "providers/aws/sdk/endpoints.h"

namespace infra::aws {

SigningRequest BuildJsonRequest(const ServiceInfo& service, std::string_view operation,
                                const nlohmann::json& body) {
  SigningRequest r;
  r.method = "POST";
  r.path = "/";
  std::string version = service.json_version.empty() ? "1.1" : service.json_version;
  r.headers.emplace_back("content-type", "application/x-amz-json-" + version);
  r.headers.emplace_back("x-amz-target", fmt::format("{}.{}", service.target_prefix, operation));
  r.body = body.is_null() ? std::string("{}") : body.dump();
  return r;
}

Result<nlohmann::json> ParseJsonReply(const std::string& body, std::string_view what) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return MakeError(Error::Kind::kInternal, "MalformedReply",
                     fmt::format("{}: reply is not valid JSON: {}", what, body.substr(0, 120)));
  }
  return j;
}

}  // namespace infra::aws
