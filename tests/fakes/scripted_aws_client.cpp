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

Result<std::string> ScriptedAwsClient::PresignQuery(std::string_view service, const std::string& region,
                                                    const std::string& action, const aws::QueryParams& params,
                                                    std::chrono::seconds) {
  Call call;
  call.service = std::string(service);
  call.region = region;
  call.action = action;
  call.params = params;
  std::lock_guard lock(mu_);
  presigns_.push_back(call);
  return fmt::format("https://presigned.{}/{}?{}", region, action, params.size());
}

std::vector<ScriptedAwsClient::Call> ScriptedAwsClient::presigns() const {
  std::lock_guard lock(mu_);
  return presigns_;
}

void ScriptedAwsClient::Fail(std::string action, std::string code, Error::Kind kind, std::string message) {
  Error e = MakeError(kind, code, message.empty() ? fmt::format("scripted {} failure", code) : std::move(message));
  e.service = "ec2";
  e.operation = action;
  e.http_status = 400;
  std::lock_guard lock(mu_);
  script_.push_back({std::move(action), "", std::move(e)});
}

void ScriptedAwsClient::ReplyJson(std::string operation, nlohmann::json reply) {
  std::lock_guard lock(mu_);
  script_.push_back({std::move(operation), "", std::nullopt, std::move(reply)});
}

void ScriptedAwsClient::ReplyRest(std::string operation, std::string body, int status,
                                  std::map<std::string, std::string> headers) {
  std::lock_guard lock(mu_);
  script_.push_back({std::move(operation), std::move(body), std::nullopt, nullptr, status, std::move(headers)});
}

Result<ScriptedAwsClient::Step> ScriptedAwsClient::Next(Call call) {
  std::lock_guard lock(mu_);
  std::string action = call.action;
  calls_.push_back(std::move(call));
  if (script_.empty())
    return MakeError(Error::Kind::kInternal, "Unscripted", fmt::format("no scripted reply for {}", action));
  Step step = std::move(script_.front());
  script_.pop_front();
  if (step.action != action)
    return MakeError(Error::Kind::kInternal, "Unscripted",
                     fmt::format("expected a {} call, got {}", step.action, action));
  if (step.error) {
    step.error->service = calls_.back().service;
    return *step.error;
  }
  return step;
}

Result<aws::XmlResponse> ScriptedAwsClient::Query(std::string_view service, const std::string& region,
                                                  const std::string& action, const aws::QueryParams& params,
                                                  const aws::CallOptions& options) {
  auto step = Next({std::string(service), region, action, params, options.idempotent});
  if (!step.ok()) return step.error();
  aws::XmlResponse r;
  r.body = std::move(step->body);
  return r;
}

Result<nlohmann::json> ScriptedAwsClient::Json(std::string_view service, const std::string& region,
                                               const std::string& operation, const nlohmann::json& body,
                                               const aws::CallOptions& options) {
  Call c{std::string(service), region, operation, {}, options.idempotent, Call::Protocol::kJson, body};
  auto step = Next(std::move(c));
  if (!step.ok()) return step.error();
  if (step->json.is_null())
    return MakeError(Error::Kind::kInternal, "Unscripted", fmt::format("{} was scripted without a JSON reply", operation));
  return step->json;
}

Result<aws::RestResponse> ScriptedAwsClient::Rest(std::string_view service, const std::string& region,
                                                  const std::string& operation, const aws::RestRequest& request,
                                                  const aws::CallOptions& options) {
  Call c{std::string(service), region, operation, {}, options.idempotent, Call::Protocol::kRest, nullptr, request};
  auto step = Next(std::move(c));
  if (!step.ok()) return step.error();
  aws::RestResponse r;
  r.status = step->status;
  r.headers = std::move(step->headers);
  r.body = std::move(step->body);
  return r;
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
