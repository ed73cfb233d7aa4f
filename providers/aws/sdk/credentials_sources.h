// The individual sources of the default credential chain, one file each
// (credentials_env, credentials_web_identity, credentials_github_oidc,
// credentials_profile), and the
// STS reply parser they share. Used by credentials.cpp and the tests.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/ini_file.h"

namespace infra::aws {

/// What one source produced: nullopt = not configured (and `why_not` says
/// why, for the "tried ..." message); otherwise the credentials or the
/// error that stops the chain.
using SourceOutcome = std::optional<Result<Credentials>>;

/// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
SourceOutcome CredentialsFromEnvironment(const ChainContext& ctx, std::string* why_not);

/// AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN [+ AWS_ROLE_SESSION_NAME]
/// -> STS AssumeRoleWithWebIdentity (unsigned).
SourceOutcome CredentialsFromWebIdentity(const ChainContext& ctx, std::string* why_not);

/// GitHub Actions OIDC without a token file: AWS_ROLE_ARN plus
/// ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN (set by
/// GitHub for a job with `permissions: id-token: write`). Requests the ID
/// token for audience sts.amazonaws.com over ctx.http, then STS
/// AssumeRoleWithWebIdentity (unsigned). Not configured when AWS_ROLE_ARN
/// or ACTIONS_ID_TOKEN_REQUEST_URL is unset.
SourceOutcome CredentialsFromGitHubOidc(const ChainContext& ctx, std::string* why_not);

/// STS AssumeRoleWithWebIdentity (unsigned) through ctx.sts for `role_arn`
/// with the ID `token`; `source` becomes Credentials::source. Errors never
/// quote the token.
Result<Credentials> AssumeRoleWithWebIdentity(const ChainContext& ctx, const std::string& role_arn,
                                              const std::string& session, const std::string& token,
                                              std::string source);

/// The active profile from the shared credentials and config files,
/// including role_arn + source_profile (STS AssumeRole, signed with the
/// source profile's credentials).
SourceOutcome CredentialsFromProfile(const ChainContext& ctx, std::string* why_not);

/// The shared files as the profile source sees them.
struct SharedFiles {
  std::string credentials_path;  // as configured, for messages
  std::string config_path;
  bool credentials_found = false;
  bool config_found = false;
  IniFile credentials;
  IniFile config;

  /// The merged settings of `profile`: config-file keys overlaid by
  /// credentials-file keys (botocore's precedence). nullopt if neither
  /// file has the profile.
  std::optional<IniFile::Section> Profile(const std::string& profile) const;
};

/// Reads AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE (default
/// $HOME/.aws/credentials and $HOME/.aws/config). Missing files are empty.
SharedFiles LoadSharedFiles(const EnvLookup& env);

/// ctx.profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, else "default".
std::string ActiveProfileName(const ChainContext& ctx);

/// Parses the <Credentials> of an STS AssumeRole* reply. `source` becomes
/// Credentials::source. Errors never quote the body (it holds secrets).
Result<Credentials> ParseStsCredentials(std::string_view xml, std::string_view action,
                                        std::string source);

/// Region for STS calls made by the chain: ResolveRegion(ctx) or us-east-1.
std::string StsRegion(const ChainContext& ctx);

/// "2026-01-02T03:04:05Z" (fractional seconds allowed) -> time point;
/// nullopt for a malformed one or a year outside 1900-2200.
std::optional<TimePoint> ParseIso8601(std::string_view s);

}  // namespace infra::aws
