// Service metadata table (values copied from the botocore models'
// `metadata`, botocore 1.43) and endpoint resolution with the SDKs'
// configured-endpoint rules (env var per service > AWS_ENDPOINT_URL >
// config-file services section > profile endpoint_url).
#include "providers/aws/sdk/endpoints.h"

#include <algorithm>
#include <cctype>

#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

ServiceInfo Make(std::string name, std::string signing, std::string prefix, Protocol protocol,
                 std::string api, std::string service_id, std::string json = "",
                 std::string target = "", std::string global_region = "") {
  ServiceInfo s;
  s.name = std::move(name);
  s.signing_name = std::move(signing);
  s.endpoint_prefix = std::move(prefix);
  s.protocol = protocol;
  s.api_version = std::move(api);
  s.service_id = std::move(service_id);
  s.json_version = std::move(json);
  s.target_prefix = std::move(target);
  s.global = !global_region.empty();
  s.global_region = std::move(global_region);
  // The SDKs' AWS_ENDPOINT_URL_<SERVICE>: serviceId upper-cased, spaces -> '_'.
  for (char c : s.service_id) {
    s.env_suffix.push_back(c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return s;
}

std::vector<ServiceInfo> BuildTable() {
  using P = Protocol;
  return {
      Make("ec2", "ec2", "ec2", P::kEc2Query, "2016-11-15", "EC2"),
      Make("elasticloadbalancing", "elasticloadbalancing", "elasticloadbalancing", P::kQuery,
           "2015-12-01", "Elastic Load Balancing v2"),
      Make("iam", "iam", "iam", P::kQuery, "2010-05-08", "IAM", "", "", "us-east-1"),
      Make("rds", "rds", "rds", P::kQuery, "2014-10-31", "RDS"),
      Make("sts", "sts", "sts", P::kQuery, "2011-06-15", "STS"),
      Make("ecs", "ecs", "ecs", P::kJson, "2014-11-13", "ECS", "1.1",
           "AmazonEC2ContainerServiceV20141113"),
      Make("logs", "logs", "logs", P::kJson, "2014-03-28", "CloudWatch Logs", "1.1", "Logs_20140328"),
      Make("application-autoscaling", "application-autoscaling", "application-autoscaling",
           P::kJson, "2016-02-06", "Application Auto Scaling", "1.1", "AnyScaleFrontendService"),
      Make("ecr", "ecr", "api.ecr", P::kJson, "2015-09-21", "ECR", "1.1",
           "AmazonEC2ContainerRegistry_V20150921"),
      Make("secretsmanager", "secretsmanager", "secretsmanager", P::kJson, "2017-10-17",
           "Secrets Manager", "1.1", "secretsmanager"),
      Make("kms", "kms", "kms", P::kJson, "2014-11-01", "KMS", "1.1", "TrentService"),
      Make("dynamodb", "dynamodb", "dynamodb", P::kJson, "2012-08-10", "DynamoDB", "1.0",
           "DynamoDB_20120810"),
      Make("sns", "sns", "sns", P::kQuery, "2010-03-31", "SNS"),
      Make("cloudwatch", "monitoring", "monitoring", P::kQuery, "2010-08-01", "CloudWatch"),
      Make("ssm", "ssm", "ssm", P::kJson, "2014-11-06", "SSM", "1.1", "AmazonSSM"),
      Make("sqs", "sqs", "sqs", P::kJson, "2012-11-05", "SQS", "1.0", "AmazonSQS"),
      Make("s3", "s3", "s3", P::kRestXml, "2006-03-01", "S3"),
      Make("lambda", "lambda", "lambda", P::kRestJson, "2015-03-31", "Lambda"),
      Make("events", "events", "events", P::kJson, "2015-10-07", "EventBridge", "1.1", "AWSEvents"),
      Make("route53", "route53", "route53", P::kRestXml, "2013-04-01", "Route 53", "", "",
           "us-east-1"),
  };
}

Error Invalid(std::string message) {
  return MakeError(Error::Kind::kInvalid, "InvalidEndpoint", std::move(message));
}

bool ValidRegion(const std::string& r) {
  return !r.empty() && std::all_of(r.begin(), r.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

enum class Partition { kAws, kChina, kGovCloud };

Partition PartitionOf(const std::string& region) {
  if (region.rfind("cn-", 0) == 0) return Partition::kChina;
  if (region.rfind("us-gov-", 0) == 0) return Partition::kGovCloud;
  return Partition::kAws;
}

// Standard (not overridden) endpoints, as botocore's endpoint rules give
// them for the aws, aws-cn and aws-us-gov partitions.
Endpoint Standard(const ServiceInfo& s, const std::string& region) {
  Endpoint e;
  e.signing_name = s.signing_name;
  Partition part = PartitionOf(region);
  std::string dns = part == Partition::kChina ? "amazonaws.com.cn" : "amazonaws.com";
  e.host = s.endpoint_prefix + "." + region + "." + dns;
  e.signing_region = region;
  if (s.name == "iam" && part == Partition::kAws) {
    e.host = "iam.amazonaws.com";
    e.signing_region = s.global_region;
  } else if (s.name == "iam" && part == Partition::kGovCloud) {
    e.host = "iam.us-gov.amazonaws.com";
    e.signing_region = "us-gov-west-1";
  } else if (s.name == "route53") {
    e.host = part == Partition::kChina      ? "route53.amazonaws.com.cn"
             : part == Partition::kGovCloud ? "route53.us-gov.amazonaws.com"
                                            : "route53.amazonaws.com";
    e.signing_region = part == Partition::kChina      ? "cn-northwest-1"
                       : part == Partition::kGovCloud ? "us-gov-west-1"
                                                      : s.global_region;
  } else if (s.name == "s3" && region == "us-east-1") {
    e.host = "s3.amazonaws.com";  // botocore's default (legacy global) for us-east-1
  }
  return e;
}

Result<Endpoint> ParseUrl(const std::string& url, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return Invalid(origin + " = \"" + url + "\" is not a valid endpoint URL: " + why);
  };
  Endpoint e;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return fail("it needs http:// or https://");
  e.scheme = url.substr(0, scheme_end);
  std::transform(e.scheme.begin(), e.scheme.end(), e.scheme.begin(), ::tolower);
  if (e.scheme != "http" && e.scheme != "https") return fail("the scheme must be http or https");
  std::string rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string::npos) return fail("it must not have a query or fragment");
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) e.base_path = rest.substr(slash);
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  if (authority.find('@') != std::string::npos) return fail("user information is not allowed");
  size_t colon = authority.rfind(':');
  bool ipv6_tail = !authority.empty() && authority.back() == ']';
  if (colon != std::string::npos && !ipv6_tail) {
    std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) {
      return fail("the port is not a number");
    }
    e.port = std::stoi(port);
    if (e.port < 1 || e.port > 65535) return fail("the port is out of range");
    authority.resize(colon);
  }
  if (authority.empty()) return fail("it has no host");
  e.host = authority;
  return e;
}

// The configured endpoint URL and where it came from, or nullopt.
std::optional<std::pair<std::string, std::string>> ConfiguredUrl(const ServiceInfo& s,
                                                                 const EnvLookup& env) {
  auto truthy = [](std::string v) {
    std::transform(v.begin(), v.end(), v.begin(), ::tolower);
    return v == "true";
  };
  std::optional<std::string> ignore_env = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (ignore_env && !ignore_env->empty() && truthy(*ignore_env)) return std::nullopt;
  std::string service_var = "AWS_ENDPOINT_URL_" + s.env_suffix;
  for (const std::string& var : {service_var, std::string("AWS_ENDPOINT_URL")}) {
    if (auto v = env(var); v && !v->empty()) return std::pair(*v, var);
  }
  // The shared config file: `services` section of the profile, then the
  // profile's own endpoint_url.
  ChainContext ctx;
  ctx.env = env;
  SharedFiles files = LoadSharedFiles(env);
  std::string profile_name = ActiveProfileName(ctx);
  std::optional<IniFile::Section> merged = files.Profile(profile_name);
  if (!merged) return std::nullopt;
  const IniFile::Section* profile = &*merged;
  auto get = [](const IniFile::Section* sec, const std::string& k) {
    auto it = sec->find(k);
    return it == sec->end() ? std::string() : it->second;
  };
  if ((!ignore_env || ignore_env->empty()) && truthy(get(profile, "ignore_configured_endpoint_urls"))) {
    return std::nullopt;
  }
  if (std::string services = get(profile, "services"); !services.empty()) {
    if (const auto* sec = files.config.Find("services " + services)) {
      std::string key = s.env_suffix;
      std::transform(key.begin(), key.end(), key.begin(), ::tolower);
      if (auto v = get(sec, key + ".endpoint_url"); !v.empty()) {
        return std::pair(v, files.config_path + " [services " + services + "] " + key);
      }
    }
  }
  if (auto v = get(profile, "endpoint_url"); !v.empty()) {
    return std::pair(v, files.config_path + " profile " + profile_name + " endpoint_url");
  }
  return std::nullopt;
}

}  // namespace

std::string_view ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kEc2Query: return "ec2";
    case Protocol::kQuery: return "query";
    case Protocol::kJson: return "json";
    case Protocol::kRestXml: return "rest-xml";
    case Protocol::kRestJson: return "rest-json";
  }
  return "unknown";
}

const std::vector<ServiceInfo>& KnownServices() {
  static const std::vector<ServiceInfo> kTable = BuildTable();
  return kTable;
}

const ServiceInfo* FindService(std::string_view name) {
  if (name == "elbv2") name = "elasticloadbalancing";
  for (const ServiceInfo& s : KnownServices()) {
    if (s.name == name || s.endpoint_prefix == name) return &s;
  }
  return nullptr;
}

std::string Endpoint::HostHeader() const {
  bool default_port = port == 0 || (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  return default_port ? host : host + ":" + std::to_string(port);
}

std::string Endpoint::Url() const { return scheme + "://" + HostHeader() + base_path; }

const std::vector<std::string>& KnownRegions() {
  // botocore/data/endpoints.json (botocore 1.43), partitions[].regions.
  static const std::vector<std::string> kRegions = {
      "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
      "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",   "ca-west-1",      "eu-central-1",
      "eu-central-2",   "eu-north-1",     "eu-south-1",     "eu-south-2",     "eu-west-1",      "eu-west-2",
      "eu-west-3",      "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "cn-north-1",     "cn-northwest-1",
      "us-gov-east-1",  "us-gov-west-1",  "us-iso-east-1",  "us-iso-west-1",  "us-isob-east-1", "us-isob-west-1",
      "eu-isoe-west-1", "us-isof-east-1", "us-isof-south-1", "eusc-de-east-1",
  };
  return kRegions;
}

bool IsKnownRegion(std::string_view region) {
  const auto& all = KnownRegions();
  return std::find(all.begin(), all.end(), region) != all.end();
}

Result<Endpoint> ResolveEndpoint(std::string_view service, const std::string& region,
                                 const EnvLookup& env) {
  const ServiceInfo* s = FindService(service);
  if (s == nullptr) {
    return Invalid("unknown AWS service \"" + std::string(service) + "\" [this is a bug]");
  }
  if (!region.empty() && !ValidRegion(region)) {
    return Invalid("\"" + region + "\" is not a valid AWS region name");
  }
  if (region.empty() && !s->global) {
    return Invalid("no region for " + s->name + ": set AWS_REGION or the stack's regions");
  }
  if (auto configured = ConfiguredUrl(*s, env)) {
    auto e = ParseUrl(configured->first, configured->second);
    if (!e.ok()) return e;
    e->signing_name = s->signing_name;
    e->signing_region = region.empty() ? s->global_region : region;
    e->overridden = true;
    e->s3_path_style = s->name == "s3";
    return e;
  }
  return Standard(*s, region.empty() ? s->global_region : region);
}

}  // namespace infra::aws
