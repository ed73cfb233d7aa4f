// AWS credentials and the default credential chain: environment variables,
// web identity (STS AssumeRoleWithWebIdentity, e.g. GitHub Actions OIDC),
// shared credentials/config file profiles (incl. role_arn + source_profile
// assume-role). STS is reached through the StsCaller seam, wired by the
// AWS client; tests script it. Secrets never appear in ToString or errors.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "providers/aws/sdk/environment.h"

namespace infra::aws {

class HttpTransport;  // transport.h

/// Same alias as in aws_client.h: ordered, already flattened query params.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

using TimePoint = std::chrono::system_clock::time_point;
/// Injectable clock (tests pass a fake; default is system_clock::now).
using Clock = std::function<TimePoint()>;

/// One set of AWS credentials.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;  // never printed
  std::string session_token;      // empty for long-term keys; never printed
  /// Set for temporary credentials (STS); nullopt = does not expire.
  std::optional<TimePoint> expiration;
  /// Where they came from, for `whoami` and errors: "environment",
  /// "web-identity", "profile default (shared credentials file)",
  /// "assume-role profile x", ...
  std::string source;

  /// "AKIA... (source; expires 2026-01-01T00:00:00Z)": the access key id
  /// (it is not secret), source and expiry. Never the secret or the token.
  std::string ToString() const;
  bool HasSessionToken() const { return !session_token.empty(); }
};

/// Performs one STS Query-protocol call (Action/Version are in `params`)
/// against the STS endpoint of `region` and returns the raw XML body of a
/// 2xx reply; a non-2xx reply or transport failure is an Error (its message
/// must hold no secret). `sign_with` nullptr = unsigned request (as
/// AssumeRoleWithWebIdentity is); otherwise SigV4-sign with those
/// credentials for service "sts".
using StsCaller = std::function<Result<std::string>(
    const std::string& region, const QueryParams& params, const Credentials* sign_with)>;

/// Everything the default chain reads from the outside world.
struct ChainContext {
  EnvLookup env = ProcessEnvironment();
  /// Needed only for web identity and assume-role profiles. Unset = those
  /// sources fail with a clear message.
  StsCaller sts;
  Clock clock = [] { return std::chrono::system_clock::now(); };
  /// Overrides AWS_PROFILE when non-empty (e.g. a --profile flag).
  std::string profile;
  /// For the GitHub Actions OIDC token request (credentials_github_oidc.cpp).
  /// Unset = that source fails with a clear message when it is configured.
  std::shared_ptr<HttpTransport> http;
};

/// Thread-safe caching provider. Get() returns the cached credentials while
/// they are valid and re-resolves when none are cached or when temporary
/// credentials are within `refresh_before` of expiring (concurrent callers
/// wait for one refresh). Errors are not cached: the next Get() retries.
class CredentialsProvider {
 public:
  using Resolver = std::function<Result<Credentials>()>;
  static constexpr std::chrono::minutes kDefaultRefreshBefore{5};

  explicit CredentialsProvider(Resolver resolver, Clock clock = {},
                               std::chrono::seconds refresh_before = kDefaultRefreshBefore);

  /// The current credentials, or an Error (kind kAuth) saying what was tried.
  Result<Credentials> Get();
  /// Drops the cache (e.g. after an ExpiredToken reply); next Get() resolves.
  void Invalidate();

 private:
  Resolver resolver_;
  Clock clock_;
  std::chrono::seconds refresh_before_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

/// Resolves the default chain once (no caching), in this order:
/// environment; web identity; GitHub Actions OIDC (AWS_ROLE_ARN +
/// ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN); profile (AWS_PROFILE or ctx.profile, default
/// "default"). The first source that is configured wins; a source that is
/// configured but broken (unreadable token file, STS error, half-set env
/// keys) stops the chain with its error. When nothing is configured the
/// Error (kAuth, code "NoCredentials") lists every source tried and why.
Result<Credentials> ResolveDefaultChain(const ChainContext& ctx);

/// A caching provider over ResolveDefaultChain(ctx).
std::shared_ptr<CredentialsProvider> NewDefaultCredentialsProvider(ChainContext ctx);

/// A caching provider that always returns `creds` (tests, explicit keys).
std::shared_ptr<CredentialsProvider> NewStaticCredentialsProvider(Credentials creds);

/// The region: AWS_REGION, then AWS_DEFAULT_REGION, then `region` of the
/// active profile in the config file. nullopt when none is set.
std::optional<std::string> ResolveRegion(const ChainContext& ctx);

}  // namespace infra::aws
