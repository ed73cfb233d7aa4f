// Service metadata (expected values taken from the botocore models'
// metadata), standard endpoints per partition, and the SDKs' configured
// endpoint rules (env per service > AWS_ENDPOINT_URL > config file;
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS).
#include "providers/aws/sdk/endpoints.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace infra::aws {
namespace {

namespace fs = std::filesystem;

std::string Url(std::string_view service, const std::string& region,
                std::map<std::string, std::string> env = {}) {
  auto e = ResolveEndpoint(service, region, FixedEnvironment(std::move(env)));
  return e.ok() ? e->Url() : "error: " + e.error().message;
}

TEST(ServiceInfo, ValuesFromTheBotocoreModels) {
  struct Row {
    const char* name;
    const char* signing;
    const char* prefix;
    Protocol protocol;
    const char* api;
    const char* json;
    const char* target;
    bool global;
    const char* env_suffix;
  };
  const Row rows[] = {
      {"ec2", "ec2", "ec2", Protocol::kEc2Query, "2016-11-15", "", "", false, "EC2"},
      {"elasticloadbalancing", "elasticloadbalancing", "elasticloadbalancing", Protocol::kQuery,
       "2015-12-01", "", "", false, "ELASTIC_LOAD_BALANCING_V2"},
      {"iam", "iam", "iam", Protocol::kQuery, "2010-05-08", "", "", true, "IAM"},
      {"rds", "rds", "rds", Protocol::kQuery, "2014-10-31", "", "", false, "RDS"},
      {"sts", "sts", "sts", Protocol::kQuery, "2011-06-15", "", "", false, "STS"},
      {"ecs", "ecs", "ecs", Protocol::kJson, "2014-11-13", "1.1", "AmazonEC2ContainerServiceV20141113",
       false, "ECS"},
      {"logs", "logs", "logs", Protocol::kJson, "2014-03-28", "1.1", "Logs_20140328", false,
       "CLOUDWATCH_LOGS"},
      {"application-autoscaling", "application-autoscaling", "application-autoscaling",
       Protocol::kJson, "2016-02-06", "1.1", "AnyScaleFrontendService", false,
       "APPLICATION_AUTO_SCALING"},
      {"ecr", "ecr", "api.ecr", Protocol::kJson, "2015-09-21", "1.1",
       "AmazonEC2ContainerRegistry_V20150921", false, "ECR"},
      {"secretsmanager", "secretsmanager", "secretsmanager", Protocol::kJson, "2017-10-17", "1.1",
       "secretsmanager", false, "SECRETS_MANAGER"},
      {"kms", "kms", "kms", Protocol::kJson, "2014-11-01", "1.1", "TrentService", false, "KMS"},
      {"dynamodb", "dynamodb", "dynamodb", Protocol::kJson, "2012-08-10", "1.0", "DynamoDB_20120810",
       false, "DYNAMODB"},
      {"sns", "sns", "sns", Protocol::kQuery, "2010-03-31", "", "", false, "SNS"},
      {"cloudwatch", "monitoring", "monitoring", Protocol::kQuery, "2010-08-01", "", "", false, "CLOUDWATCH"},
      {"ssm", "ssm", "ssm", Protocol::kJson, "2014-11-06", "1.1", "AmazonSSM", false, "SSM"},
      {"sqs", "sqs", "sqs", Protocol::kJson, "2012-11-05", "1.0", "AmazonSQS", false, "SQS"},
      {"s3", "s3", "s3", Protocol::kRestXml, "2006-03-01", "", "", false, "S3"},
      {"lambda", "lambda", "lambda", Protocol::kRestJson, "2015-03-31", "", "", false, "LAMBDA"},
      {"events", "events", "events", Protocol::kJson, "2015-10-07", "1.1", "AWSEvents", false, "EVENTBRIDGE"},
      {"route53", "route53", "route53", Protocol::kRestXml, "2013-04-01", "", "", true, "ROUTE_53"},
  };
  ASSERT_EQ(KnownServices().size(), std::size(rows));
  for (const Row& r : rows) {
    const ServiceInfo* s = FindService(r.name);
    ASSERT_NE(s, nullptr) << r.name;
    EXPECT_EQ(s->name, r.name);
    EXPECT_EQ(s->signing_name, r.signing) << r.name;
    EXPECT_EQ(s->endpoint_prefix, r.prefix) << r.name;
    EXPECT_EQ(s->protocol, r.protocol) << r.name;
    EXPECT_EQ(s->api_version, r.api) << r.name;
    EXPECT_EQ(s->json_version, r.json) << r.name;
    EXPECT_EQ(s->target_prefix, r.target) << r.name;
    EXPECT_EQ(s->global, r.global) << r.name;
    EXPECT_EQ(s->env_suffix, r.env_suffix) << r.name;
  }
  EXPECT_EQ(FindService("elbv2"), FindService("elasticloadbalancing"));
  EXPECT_EQ(FindService("api.ecr"), FindService("ecr"));
  EXPECT_EQ(FindService("appsync"), nullptr);
  EXPECT_EQ(ProtocolName(Protocol::kRestJson), "rest-json");
}

TEST(ResolveEndpoint, StandardRegionalAndGlobal) {
  EXPECT_EQ(Url("ec2", "eu-west-1"), "https://ec2.eu-west-1.amazonaws.com");
  EXPECT_EQ(Url("elbv2", "eu-central-1"), "https://elasticloadbalancing.eu-central-1.amazonaws.com");
  EXPECT_EQ(Url("ecr", "us-west-2"), "https://api.ecr.us-west-2.amazonaws.com");
  EXPECT_EQ(Url("s3", "eu-west-1"), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(Url("s3", "us-east-1"), "https://s3.amazonaws.com");
  EXPECT_EQ(Url("sts", "eu-west-1"), "https://sts.eu-west-1.amazonaws.com");  // regional STS
  EXPECT_EQ(Url("ec2", "cn-north-1"), "https://ec2.cn-north-1.amazonaws.com.cn");

  auto iam = ResolveEndpoint("iam", "eu-west-1", FixedEnvironment({}));
  ASSERT_TRUE(iam.ok());
  EXPECT_EQ(iam->Url(), "https://iam.amazonaws.com");
  EXPECT_EQ(iam->signing_region, "us-east-1");
  EXPECT_EQ(iam->signing_name, "iam");
  EXPECT_FALSE(iam->overridden);
  auto r53 = ResolveEndpoint("route53", "ap-southeast-2", FixedEnvironment({}));
  ASSERT_TRUE(r53.ok());
  EXPECT_EQ(r53->HostHeader(), "route53.amazonaws.com");
  EXPECT_EQ(r53->signing_region, "us-east-1");
  EXPECT_EQ(Url("route53", ""), "https://route53.amazonaws.com");  // global: region optional
  EXPECT_EQ(Url("iam", "us-gov-west-1"), "https://iam.us-gov.amazonaws.com");

  auto ec2 = ResolveEndpoint("ec2", "eu-west-1", FixedEnvironment({}));
  EXPECT_EQ(ec2->signing_region, "eu-west-1");
  EXPECT_FALSE(ec2->s3_path_style);
}

TEST(ResolveEndpoint, BadInputs) {
  EXPECT_EQ(Url("appsync", "eu-west-1"), "error: unknown AWS service \"appsync\" [this is a bug]");
  EXPECT_EQ(Url("ec2", ""), "error: no region for ec2: set AWS_REGION or the stack's regions");
  EXPECT_EQ(Url("ec2", "eu-west-1.evil.com/"),
            "error: \"eu-west-1.evil.com/\" is not a valid AWS region name");
}

TEST(ResolveEndpoint, EnvironmentOverridesAsTheSdksDo) {
  std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}};
  auto e = ResolveEndpoint("ec2", "eu-west-1", FixedEnvironment(env));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->scheme, "http");
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 5000);
  EXPECT_EQ(e->HostHeader(), "127.0.0.1:5000");
  EXPECT_EQ(e->signing_region, "eu-west-1");
  EXPECT_TRUE(e->overridden);
  EXPECT_FALSE(e->s3_path_style);

  env["AWS_ENDPOINT_URL_S3"] = "https://s3.local:8443/base/";
  auto s3 = ResolveEndpoint("s3", "eu-west-1", FixedEnvironment(env));
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->Url(), "https://s3.local:8443/base");  // per-service beats global
  EXPECT_EQ(s3->base_path, "/base");
  EXPECT_TRUE(s3->s3_path_style);
  EXPECT_EQ(Url("ec2", "eu-west-1", env), "http://127.0.0.1:5000");  // others keep the global one

  env["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"] = "http://elb:1";
  env["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = "http://logs:2";
  env["AWS_ENDPOINT_URL_ROUTE_53"] = "http://r53:3";
  env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://sm:4";
  env["AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING"] = "http://aas:5";
  EXPECT_EQ(Url("elbv2", "eu-west-1", env), "http://elb:1");
  EXPECT_EQ(Url("logs", "eu-west-1", env), "http://logs:2");
  EXPECT_EQ(Url("route53", "eu-west-1", env), "http://r53:3");
  EXPECT_EQ(Url("secretsmanager", "eu-west-1", env), "http://sm:4");
  EXPECT_EQ(Url("application-autoscaling", "eu-west-1", env), "http://aas:5");

  env["AWS_ENDPOINT_URL_S3"] = "";  // empty counts as unset
  EXPECT_EQ(Url("s3", "eu-west-1", env), "http://127.0.0.1:5000");

  for (const char* v : {"true", "TRUE", "True"}) {
    env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = v;
    EXPECT_EQ(Url("s3", "eu-west-1", env), "https://s3.eu-west-1.amazonaws.com") << v;
    EXPECT_EQ(Url("logs", "eu-west-1", env), "https://logs.eu-west-1.amazonaws.com") << v;
  }
  env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "false";
  EXPECT_EQ(Url("logs", "eu-west-1", env), "http://logs:2");
}

TEST(ResolveEndpoint, GlobalServiceOverrideSignsWithClientRegion) {
  std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://[::1]:4566"}};
  auto iam = ResolveEndpoint("iam", "eu-west-1", FixedEnvironment(env));
  ASSERT_TRUE(iam.ok());
  EXPECT_EQ(iam->host, "[::1]");
  EXPECT_EQ(iam->port, 4566);
  EXPECT_EQ(iam->signing_region, "eu-west-1");
  auto r53 = ResolveEndpoint("route53", "", FixedEnvironment(env));
  ASSERT_TRUE(r53.ok());
  EXPECT_EQ(r53->signing_region, "us-east-1");
}

TEST(ResolveEndpoint, MalformedOverridesNameTheVariable) {
  auto bad = [](const std::string& url) {
    return Url("ec2", "eu-west-1", {{"AWS_ENDPOINT_URL_EC2", url}});
  };
  EXPECT_EQ(bad("localhost:5000"),
            "error: AWS_ENDPOINT_URL_EC2 = \"localhost:5000\" is not a valid endpoint URL: it "
            "needs http:// or https://");
  EXPECT_NE(bad("ftp://h").find("the scheme must be http or https"), std::string::npos);
  EXPECT_NE(bad("http://h:99999").find("out of range"), std::string::npos);
  EXPECT_NE(bad("http://h:abc").find("not a number"), std::string::npos);
  EXPECT_NE(bad("http://").find("no host"), std::string::npos);
  EXPECT_NE(bad("http://h/?x=1").find("query"), std::string::npos);
  EXPECT_EQ(bad("HTTPS://h"), "https://h");
}

TEST(ResolveEndpointFuzz, RandomOverrideUrlsNeverCrash) {
  std::mt19937 rng(99);
  const std::string alphabet = "htps:/[]@?#.0123456789abcAZ-_%";
  for (int round = 0; round < 3000; ++round) {
    std::string url = round % 3 == 0 ? "http://" : "";
    for (size_t i = 0, n = rng() % 30; i < n; ++i) url.push_back(alphabet[rng() % alphabet.size()]);
    auto e = ResolveEndpoint("s3", "eu-west-1", FixedEnvironment({{"AWS_ENDPOINT_URL", url}}));
    if (e.ok()) {
      EXPECT_FALSE(e->host.empty()) << url;
      EXPECT_TRUE(e->scheme == "http" || e->scheme == "https") << url;
      EXPECT_TRUE(e->port >= 0 && e->port <= 65535) << url;
    } else {
      EXPECT_EQ(e.error().kind, Error::Kind::kInvalid);
    }
  }
}

class EndpointConfigFileTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("infra-endpoints-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    env_["AWS_CONFIG_FILE"] = (dir_ / "config").string();
    env_["HOME"] = dir_.string();
    std::ofstream(dir_ / "config") << "[default]\n"
                                      "endpoint_url = http://global:1\n"
                                      "services = local\n"
                                      "[services local]\n"
                                      "s3 =\n  endpoint_url = http://s3cfg:2\n"
                                      "elastic_load_balancing_v2 =\n  endpoint_url = http://elbcfg:3\n"
                                      "[profile ignoring]\n"
                                      "endpoint_url = http://ignored:4\n"
                                      "ignore_configured_endpoint_urls = true\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(EndpointConfigFileTest, ServicesSectionThenProfileEndpointUrl) {
  EXPECT_EQ(Url("s3", "eu-west-1", env_), "http://s3cfg:2");
  EXPECT_EQ(Url("elbv2", "eu-west-1", env_), "http://elbcfg:3");
  EXPECT_EQ(Url("ec2", "eu-west-1", env_), "http://global:1");
  auto env = env_;
  env["AWS_ENDPOINT_URL"] = "http://envglobal:9";  // any env var beats the file
  EXPECT_EQ(Url("s3", "eu-west-1", env), "http://envglobal:9");
  env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(Url("s3", "eu-west-1", env), "https://s3.eu-west-1.amazonaws.com");
  env = env_;
  env["AWS_PROFILE"] = "ignoring";
  EXPECT_EQ(Url("ec2", "eu-west-1", env), "https://ec2.eu-west-1.amazonaws.com");
  env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "false";  // the env var beats the file setting
  EXPECT_EQ(Url("ec2", "eu-west-1", env), "http://ignored:4");
}

}  // namespace
}  // namespace infra::aws
