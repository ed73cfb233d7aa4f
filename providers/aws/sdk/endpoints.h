// Service metadata (from the botocore models) and endpoint resolution:
// standard regional endpoints, global IAM/Route 53 (signed for us-east-1),
// and the AWS SDKs' endpoint overrides AWS_ENDPOINT_URL_<SERVICE> >
// AWS_ENDPOINT_URL, both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "providers/aws/sdk/environment.h"

namespace infra::aws {

/// Wire protocol of a service (botocore metadata.protocol).
enum class Protocol { kEc2Query, kQuery, kJson, kRestXml, kRestJson };

/// "ec2", "query", "json", "rest-xml", "rest-json".
std::string_view ProtocolName(Protocol p);

/// What the client needs to know about one service, from the botocore model.
struct ServiceInfo {
  std::string name;             // our key: "ec2", "elasticloadbalancing", "s3", ...
  std::string signing_name;     // metadata.signingName (or endpointPrefix)
  std::string endpoint_prefix;  // metadata.endpointPrefix: "api.ecr", ...
  Protocol protocol = Protocol::kQuery;
  std::string api_version;      // metadata.apiVersion: "2016-11-15"
  std::string json_version;     // metadata.jsonVersion ("1.0"/"1.1"), JSON only
  std::string target_prefix;    // metadata.targetPrefix, JSON only
  bool global = false;          // one endpoint for all regions (iam, route53)
  std::string global_region;    // the signing region of a global service ("us-east-1")
  std::string service_id;       // metadata.serviceId: "Elastic Load Balancing v2"
  std::string env_suffix;       // serviceId upper-cased, spaces -> '_': "ELASTIC_LOAD_BALANCING_V2"
};

/// The services we know, in a stable order.
const std::vector<ServiceInfo>& KnownServices();

/// Looks up by name; also accepts "elbv2" for elasticloadbalancing and the
/// endpoint prefix. nullptr when unknown.
const ServiceInfo* FindService(std::string_view name);

/// Every region name of every AWS partition, as botocore's endpoints.json
/// lists them (aws, aws-cn, aws-us-gov, the ISO partitions, aws-eusc).
const std::vector<std::string>& KnownRegions();

/// True when AWS has a region named `region` (one of KnownRegions()).
bool IsKnownRegion(std::string_view region);

/// Where to send a request and how to sign it.
struct Endpoint {
  std::string scheme = "https";
  std::string host;
  int port = 0;                 // 0 = scheme default (443/80)
  std::string base_path;        // "" or "/prefix" (no trailing slash) from an override URL
  std::string signing_region;
  std::string signing_name;
  bool overridden = false;      // came from AWS_ENDPOINT_URL[_<SERVICE>]
  bool s3_path_style = false;   // S3: bucket in the path, not the host (set when overridden)

  /// "https://ec2.eu-west-1.amazonaws.com" (+ ":port" when set, + base_path).
  std::string Url() const;
  /// The Host header value: host, plus ":port" when port is non-default.
  std::string HostHeader() const;
};

/// Resolves the endpoint of `service` ("ec2", "s3", "elbv2", ...) in
/// `region`. Configured endpoints, first match wins, all skipped when
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
/// ignore_configured_endpoint_urls) is true: AWS_ENDPOINT_URL_<env_suffix>,
/// AWS_ENDPOINT_URL, the profile's `services` section in the config file
/// (`<service id> =\n  endpoint_url = ...`), the profile's endpoint_url.
/// An overridden endpoint signs with `region` (or the global region when
/// empty). Reads the config file when no variable decides: callers cache
/// the result per (service, region). Errors (kInvalid): unknown service,
/// invalid or missing region for a regional service, or a malformed
/// override URL (naming the variable or file that set it).
Result<Endpoint> ResolveEndpoint(std::string_view service, const std::string& region,
                                 const EnvLookup& env = ProcessEnvironment());

}  // namespace infra::aws
