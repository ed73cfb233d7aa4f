// ScriptedAwsClient (see scripted_aws_client.h).
#include "fakes/scripted_aws_client.h"

#include <fmt/format.h>

namespace infra::test {

std::string ScriptedAwsClient::Call::Param(const std::string& key) const {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return {};
}

void ScriptedAwsClient::Reply(std::string action, std::string body) {
  std::lock_guard lock(mu_);
  script_.push_back({std::move(action), std::move(body), std::nullopt});
}

void ScriptedAwsClient::Fail(std::string action, std::string code, Error::Kind kind) {
  Error e = MakeError(kind, code, fmt::format("scripted {} failure", code));
  e.service = "ec2";
  e.operation = action;
  e.http_status = 400;
  std::lock_guard lock(mu_);
  script_.push_back({std::move(action), "", std::move(e)});
}

Result<aws::XmlResponse> ScriptedAwsClient::Query(std::string_view service, const std::string& region,
                                                  const std::string& action, const aws::QueryParams& params,
                                                  const aws::CallOptions& options) {
  std::lock_guard lock(mu_);
  calls_.push_back({std::string(service), region, action, params, options.idempotent});
  if (script_.empty())
    return MakeError(Error::Kind::kInternal, "Unscripted", fmt::format("no scripted reply for {}", action));
  Step step = std::move(script_.front());
  script_.pop_front();
  if (step.action != action)
    return MakeError(Error::Kind::kInternal, "Unscripted",
                     fmt::format("expected a {} call, got {}", step.action, action));
  if (step.error) return *step.error;
  aws::XmlResponse r;
  r.body = std::move(step.body);
  return r;
}

Result<nlohmann::json> ScriptedAwsClient::Json(std::string_view, const std::string&, const std::string& operation,
                                               const nlohmann::json&, const aws::CallOptions&) {
  return MakeError(Error::Kind::kInternal, "Unscripted", "JSON call " + operation);
}

Result<aws::RestResponse> ScriptedAwsClient::Rest(std::string_view, const std::string&, const std::string& operation,
                                                  const aws::RestRequest&, const aws::CallOptions&) {
  return MakeError(Error::Kind::kInternal, "Unscripted", "REST call " + operation);
}

std::vector<ScriptedAwsClient::Call> ScriptedAwsClient::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

size_t ScriptedAwsClient::remaining() const {
  std::lock_guard lock(mu_);
  return script_.size();
}

}  // namespace infra::test
