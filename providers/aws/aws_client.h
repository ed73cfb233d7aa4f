// AwsClient: the one way resource families talk to AWS. It signs (SigV4),
// resolves credentials and endpoints, serialises per protocol, parses errors
// into infra::Error, retries with backoff + jitter, and rate-limits per
// service/region/operation. Thread-safe; share one instance per process.
#pragma once
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace infra::aws {

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
};

struct ClientOptions {
  int max_attempts = 10;
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 60000;
};

/// The production client (libcurl transport, default credential chain,
/// endpoints from the environment). Makes no network call until first used.
std::shared_ptr<AwsClient> NewAwsClient(const ClientOptions& options);

}  // namespace infra::aws
