// Credential source 3: GitHub Actions OIDC without a second action. With
// `permissions: id-token: write` GitHub gives the job
// ACTIONS_ID_TOKEN_REQUEST_URL and a bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN;
// the ID token (audience sts.amazonaws.com) is traded for the role in
// AWS_ROLE_ARN by STS AssumeRoleWithWebIdentity. Also the STS call shared
// with the token-file source (credentials_web_identity.cpp).
#include <chrono>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "providers/aws/sdk/credentials_sources.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

constexpr const char* kAudience = "sts.amazonaws.com";

Error Fail(std::string message) {
  return MakeError(Error::Kind::kAuth, "GitHubOidcError", "GitHub OIDC: " + std::move(message));
}

// GitHub's URL already carries a query (?api-version=...).
std::string TokenUrl(const std::string& base) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "audience=" + kAudience;
}

// The ID token, or an Error that never quotes the bearer token or the reply.
Result<std::string> RequestIdToken(const ChainContext& ctx, const std::string& url, const std::string& bearer) {
  if (!ctx.http) return Fail("no HTTP transport is available [this is a bug]");
  HttpRequest req;
  req.method = "GET";
  req.url = TokenUrl(url);
  req.headers = {{"Authorization", "bearer " + bearer}, {"Accept", "application/json; api-version=2.0"}};
  auto resp = ctx.http->Send(req);
  if (!resp.ok()) return Fail("the ID token request failed: " + resp.error().ToString());
  if (resp->status != 200)
    return Fail("the ID token request was answered HTTP " + std::to_string(resp->status) +
                " (does the job have `permissions: id-token: write`?)");
  nlohmann::json doc = nlohmann::json::parse(resp->body, nullptr, false);
  if (!doc.is_object() || !doc.contains("value") || !doc["value"].is_string() ||
      doc["value"].get<std::string>().empty())
    return Fail("the ID token reply has no \"value\"");
  return doc["value"].get<std::string>();
}

std::string SessionName(const ChainContext& ctx) {
  if (auto s = ctx.env("AWS_ROLE_SESSION_NAME"); s && !s->empty()) return *s;
  if (auto run = ctx.env("GITHUB_RUN_ID"); run && !run->empty()) return "infra-github-" + *run;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock().time_since_epoch());
  return "infra-" + std::to_string(secs.count());
}

}  // namespace

Result<Credentials> AssumeRoleWithWebIdentity(const ChainContext& ctx, const std::string& role_arn,
                                              const std::string& session, const std::string& token,
                                              std::string source) {
  if (!ctx.sts) return MakeError(Error::Kind::kAuth, "WebIdentityError", "no STS client is available [this is a bug]");
  QueryParams params = {{"Action", "AssumeRoleWithWebIdentity"},
                        {"Version", "2011-06-15"},
                        {"RoleArn", role_arn},
                        {"RoleSessionName", session},
                        {"WebIdentityToken", token}};
  auto reply = ctx.sts(StsRegion(ctx), params, nullptr);
  if (!reply.ok())
    return MakeError(Error::Kind::kAuth, "WebIdentityError",
                     "STS AssumeRoleWithWebIdentity for " + role_arn + " failed: " + reply.error().ToString());
  return ParseStsCredentials(reply.value(), "AssumeRoleWithWebIdentity", std::move(source));
}

SourceOutcome CredentialsFromGitHubOidc(const ChainContext& ctx, std::string* why_not) {
  std::string url = ctx.env("ACTIONS_ID_TOKEN_REQUEST_URL").value_or("");
  std::string role_arn = ctx.env("AWS_ROLE_ARN").value_or("");
  if (role_arn.empty() || url.empty()) {
    *why_not = role_arn.empty() ? "AWS_ROLE_ARN not set" : "ACTIONS_ID_TOKEN_REQUEST_URL not set";
    return std::nullopt;
  }
  std::string bearer = ctx.env("ACTIONS_ID_TOKEN_REQUEST_TOKEN").value_or("");
  if (bearer.empty())
    return Result<Credentials>(Fail("ACTIONS_ID_TOKEN_REQUEST_URL is set but ACTIONS_ID_TOKEN_REQUEST_TOKEN is not"));
  log::AddSecret(bearer);
  auto token = RequestIdToken(ctx, url, bearer);
  if (!token.ok()) return Result<Credentials>(token.error());
  log::AddSecret(*token);
  auto creds = AssumeRoleWithWebIdentity(ctx, role_arn, SessionName(ctx), *token, "github-oidc " + role_arn);
  if (!creds.ok()) return Result<Credentials>(Fail(creds.error().message));
  return creds;
}

}  // namespace infra::aws
