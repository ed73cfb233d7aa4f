// Credential source 2: web identity (GitHub Actions OIDC, EKS IRSA):
// AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN [+ AWS_ROLE_SESSION_NAME] ->
// STS AssumeRoleWithWebIdentity, an unsigned call. The token file is read
// on every resolve because issuers rotate it.
#include <chrono>
#include <fstream>
#include <sstream>

#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

Error Fail(std::string message) {
  return MakeError(Error::Kind::kAuth, "WebIdentityError", "web identity: " + std::move(message));
}

std::string DefaultSessionName(const ChainContext& ctx) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock().time_since_epoch());
  return "infra-" + std::to_string(secs.count());
}

}  // namespace

SourceOutcome CredentialsFromWebIdentity(const ChainContext& ctx, std::string* why_not) {
  std::string token_file = ctx.env("AWS_WEB_IDENTITY_TOKEN_FILE").value_or("");
  if (token_file.empty()) {
    *why_not = "AWS_WEB_IDENTITY_TOKEN_FILE not set";
    return std::nullopt;
  }
  std::string role_arn = ctx.env("AWS_ROLE_ARN").value_or("");
  if (role_arn.empty()) {
    return Result<Credentials>(Fail("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"));
  }
  std::ifstream in(token_file, std::ios::binary);
  std::stringstream token;
  if (in) token << in.rdbuf();
  if (!in || token.str().empty()) {
    return Result<Credentials>(
        Fail("cannot read the token file " + token_file + " (AWS_WEB_IDENTITY_TOKEN_FILE)"));
  }
  std::string session = ctx.env("AWS_ROLE_SESSION_NAME").value_or("");
  if (session.empty()) session = DefaultSessionName(ctx);
  std::string tok = token.str();
  while (!tok.empty() && (tok.back() == '\n' || tok.back() == '\r')) tok.pop_back();
  auto creds = AssumeRoleWithWebIdentity(ctx, role_arn, session, tok, "web-identity");
  if (!creds.ok()) return Result<Credentials>(Fail(creds.error().message));
  return creds;
}

}  // namespace infra::aws
