// Credential source 1: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
// [/ AWS_SESSION_TOKEN, or the legacy AWS_SECURITY_TOKEN].
#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

std::string Get(const ChainContext& ctx, const char* name) {
  return ctx.env(name).value_or("");
}

}  // namespace

SourceOutcome CredentialsFromEnvironment(const ChainContext& ctx, std::string* why_not) {
  std::string key = Get(ctx, "AWS_ACCESS_KEY_ID");
  std::string secret = Get(ctx, "AWS_SECRET_ACCESS_KEY");
  if (key.empty() && secret.empty()) {
    *why_not = "AWS_ACCESS_KEY_ID not set";
    return std::nullopt;
  }
  if (key.empty() || secret.empty()) {
    // Half-configured: stop here rather than silently using another identity.
    return Result<Credentials>(MakeError(
        Error::Kind::kAuth, "PartialCredentials",
        std::string("environment: ") + (key.empty() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
            " is set but " + (key.empty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
            " is not"));
  }
  Credentials c;
  c.access_key_id = std::move(key);
  c.secret_access_key = std::move(secret);
  c.session_token = Get(ctx, "AWS_SESSION_TOKEN");
  if (c.session_token.empty()) c.session_token = Get(ctx, "AWS_SECURITY_TOKEN");
  c.source = "environment";
  return Result<Credentials>(std::move(c));
}

}  // namespace infra::aws
