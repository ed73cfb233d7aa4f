// AwsClient: the one way resource families talk to AWS. It signs (SigV4),
// resolves credentials and endpoints, serialises per protocol, parses errors
// into infra::Error, retries with backoff + jitter, and rate-limits per
// service/region/operation. Thread-safe; share one instance per process.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "providers/aws/sdk/environment.h"

namespace infra::aws {

class HttpTransport;
class CredentialsProvider;

/// Ordered form parameters for the EC2 and AWS query protocols, already
/// flattened by the caller ("VpcId.1", "Filter.1.Name", "Tags.member.1.Key").
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct CallOptions {
  /// False for calls that must not be repeated once the service may have
  /// processed them (a create without an idempotency token): such a call is
  /// retried only when it surely never reached the service (connect failure,
  /// throttling/5xx responses), never after a cut-short success.
  bool idempotent = true;
};

/// A successful XML reply (EC2/query/REST-XML). Parse `body` with pugixml.
struct XmlResponse {
  int status = 200;
  std::string body;
  std::string request_id;
};

struct RestRequest {
  std::string method = "GET";
  std::string path = "/";     // already percent-encoded where needed
  QueryParams query;
  std::map<std::string, std::string> headers;
  std::string body;
};

struct RestResponse {
  int status = 200;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string request_id;
};

class AwsClient {
 public:
  virtual ~AwsClient() = default;

  /// EC2 query / AWS query protocol call (ec2, rds, iam, elasticloadbalancing,
  /// sts). Action and Version are added by the client.
  virtual Result<XmlResponse> Query(std::string_view service, const std::string& region,
                                    const std::string& action, const QueryParams& params,
                                    const CallOptions& options = {}) = 0;

  /// JSON 1.0/1.1 call with X-Amz-Target "<prefix>.<operation>" (ecs, logs,
  /// ecr, secretsmanager, kms, dynamodb, application-autoscaling).
  virtual Result<nlohmann::json> Json(std::string_view service, const std::string& region,
                                      const std::string& operation, const nlohmann::json& body,
                                      const CallOptions& options = {}) = 0;

  /// REST-XML / REST-JSON call (s3, route53). `operation` names the call for
  /// logs, errors and rate limiting.
  virtual Result<RestResponse> Rest(std::string_view service, const std::string& region,
                                    const std::string& operation, const RestRequest& request,
                                    const CallOptions& options = {}) = 0;

  /// Suggested concurrency for a service right now (adaptive limiter).
  virtual int Concurrency(std::string_view service) const = 0;

  /// Where the credentials in use come from ("environment", "web-identity",
  /// "profile x ..."), resolving them if needed. Error (kAuth) lists what
  /// was tried when there are none. Never returns a secret.
  virtual Result<std::string> CredentialSource() {
    return MakeError(Error::Kind::kInternal, "NotSupported", "this client has no credential source");
  }

  /// The query-protocol call `action` with `params` (Action and Version
  /// added) as a SigV4 query-presigned GET URL for `service` in `region`,
  /// valid for `expires`: what the AWS SDKs send as the PreSignedUrl of an
  /// RDS cross-region call, signed for the source region
  /// (presigned_query.h). The URL's signature is registered as a log
  /// secret (it authorises that one call). Error when there are no
  /// credentials or no endpoint for the region.
  virtual Result<std::string> PresignQuery(std::string_view service, const std::string& region,
                                           const std::string& action, const QueryParams& params,
                                           std::chrono::seconds expires) {
    (void)service, (void)region, (void)action, (void)params, (void)expires;
    return MakeError(Error::Kind::kInternal, "NotSupported", "this client cannot presign calls");
  }
};

struct ClientOptions {
  /// Total attempts per call, including the first.
  int max_attempts = 10;
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 60000;
  /// Full-jitter backoff: retry n waits up to min(max, base * 2^(n-1)).
  std::chrono::milliseconds backoff_base{200};
  std::chrono::milliseconds backoff_max{20000};
  /// Adaptive client-side rate limiting per service/region/operation.
  bool rate_limit = true;
  /// Starting calls/s per bucket; 0 = per-service defaults (rate_limit.h).
  double initial_rate = 0;
  /// Profile to use instead of AWS_PROFILE (e.g. a --profile flag).
  std::string profile;
  /// Set by the first SIGINT/SIGTERM/SIGHUP (engine/interrupt.h): from then
  /// on no call is retried; a backoff wait in progress ends within ~50 ms
  /// and the call returns its last error, marked "not retried: interrupted".
  /// The attempt that was on the wire always returns normally. May be null.
  const std::atomic<bool>* stop = nullptr;
};

/// Replaceable parts of the client; an unset member gets the production
/// default. Tests inject a scripted transport, static credentials, a fixed
/// environment and clocks.
struct ClientSeams {
  std::shared_ptr<HttpTransport> transport;        // default: libcurl
  std::shared_ptr<CredentialsProvider> credentials;  // default: the default chain
  EnvLookup env;                                   // default: the process environment
  std::function<std::chrono::system_clock::time_point()> now;  // signing time
  std::function<void(std::chrono::nanoseconds)> sleep;         // backoff / limiter waits
  uint64_t seed = 0;                               // jitter seed; 0 = random
};

/// The production client (libcurl transport, default credential chain whose
/// STS calls go through this client, endpoints from the environment). Makes
/// no network call until first used.
std::shared_ptr<AwsClient> NewAwsClient(const ClientOptions& options);

/// The same client with some parts replaced (see ClientSeams).
std::shared_ptr<AwsClient> NewAwsClient(const ClientOptions& options, ClientSeams seams);

}  // namespace infra::aws
