// The AwsClient over a scripted transport: what goes on the wire per
// protocol (signed, to the overridden endpoint), retries and their bounds,
// the non-idempotent rule, the credential chain's STS seam, and the call log.
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include "support/temp_dir.h"

#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "fakes/scripted_transport.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

using test::ScriptedTransport;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kToken[] = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN";

struct Harness {
  explicit Harness(ClientOptions options = {}, std::map<std::string, std::string> env = {},
                   bool static_creds = true) {
    transport = std::make_shared<ScriptedTransport>();
    ClientSeams seams;
    seams.transport = transport;
    if (env.empty()) env = {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}};
    seams.env = FixedEnvironment(env);
    if (static_creds) {
      Credentials c;
      c.access_key_id = "AKIDEXAMPLE";
      c.secret_access_key = kSecret;
      c.session_token = kToken;
      c.source = "static (test)";
      seams.credentials = NewStaticCredentialsProvider(c);
    }
    seams.sleep = [this](std::chrono::nanoseconds d) {
      std::lock_guard<std::mutex> lock(mu);
      sleeps.push_back(d);
    };
    seams.seed = 7;
    options.backoff_base = std::chrono::milliseconds(100);
    client = NewAwsClient(options, std::move(seams));
  }
  std::string Header(size_t i, const std::string& name) const {
    return ScriptedTransport::HeaderOf(transport->requests().at(i), name);
  }
  std::shared_ptr<ScriptedTransport> transport;
  std::shared_ptr<AwsClient> client;
  std::mutex mu;
  std::vector<std::chrono::nanoseconds> sleeps;
};

const char kVpcs[] =
    "<DescribeVpcsResponse><requestId>r-1</requestId><vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet>"
    "</DescribeVpcsResponse>";
const char kThrottle[] =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message></Error></Errors>"
    "</Response>";

TEST(AwsClientTest, Ec2QueryIsSignedAndSentToOverride) {
  Harness h;
  h.transport->Reply(200, kVpcs, {{"x-amzn-requestid", "req-9"}});
  auto r = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {{"VpcId.1", "vpc-1"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->request_id, "req-9");
  EXPECT_NE(r->body.find("vpc-1"), std::string::npos);
  auto req = h.transport->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://127.0.0.1:4566/");
  EXPECT_EQ(req.body, "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1");
  std::string auth = h.Header(0, "authorization");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/eu-west-1/ec2/aws4_request"), std::string::npos) << auth;
  EXPECT_EQ(h.Header(0, "x-amz-security-token"), kToken);
  EXPECT_EQ(h.Header(0, "host"), "127.0.0.1:4566");
  EXPECT_FALSE(h.Header(0, "x-amz-date").empty());
}

TEST(AwsClientTest, JsonCallCarriesTargetAndParsesReply) {
  Harness h;
  h.transport->Reply(200, R"({"clusterArns":["arn:aws:ecs:eu-central-1:1:cluster/a"]})");
  auto r = h.client->Json("ecs", "eu-central-1", "ListClusters", nlohmann::json::object());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["clusterArns"].size(), 1u);
  EXPECT_EQ(h.Header(0, "x-amz-target"), "AmazonEC2ContainerServiceV20141113.ListClusters");
  EXPECT_EQ(h.Header(0, "content-type"), "application/x-amz-json-1.1");
  EXPECT_NE(h.Header(0, "authorization").find("/eu-central-1/ecs/aws4_request"), std::string::npos);
}

TEST(AwsClientTest, S3RestIsPathStyleUnderOverrideWithPayloadHash) {
  Harness h;
  h.transport->Reply(200, "", {{"x-amz-request-id", "s3-id"}});
  RestRequest req;
  req.method = "PUT";
  req.path = "/my-bucket";
  req.query = {{"versioning", ""}};
  req.body = "<VersioningConfiguration/>";
  auto r = h.client->Rest("s3", "eu-west-1", "PutBucketVersioning", req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->request_id, "s3-id");
  auto sent = h.transport->requests().at(0);
  EXPECT_EQ(sent.url, "http://127.0.0.1:4566/my-bucket?versioning=");
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(h.Header(0, "x-amz-content-sha256").size(), 64u);
}

TEST(AwsClientTest, ThrottlingIsRetriedWithBoundedBackoff) {
  Harness h;
  h.transport->Reply(503, kThrottle);
  h.transport->Reply(503, kThrottle);
  h.transport->Reply(200, kVpcs);
  auto r = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(h.transport->calls(), 3u);
  // Two backoffs (<= 100 ms, <= 200 ms) plus any rate-limiter waits (the
  // bucket is emptied on throttling), each bounded.
  ASSERT_GE(h.sleeps.size(), 2u);
  for (auto d : h.sleeps) EXPECT_LE(d, std::chrono::milliseconds(1000));
  EXPECT_GE(h.sleeps.size(), 3u) << "a limiter wait besides the two backoffs: throttling switched the bucket on";
  EXPECT_EQ(h.client->Concurrency("ec2"), DispatchConcurrency("ec2")) << "slots stay; the rate is what slows";
}

TEST(AwsClientTest, NoRetryOnceInterrupted) {
  // After the first SIGINT the executor lets calls in flight return; a call
  // must not then sit in retries with backoffs of up to 20 s.
  std::atomic<bool> stop{false};
  ClientOptions options;
  options.stop = &stop;
  Harness h(options);
  h.transport->Reply(503, kThrottle);
  h.transport->Reply(503, kThrottle);
  h.transport->Reply(200, kVpcs);
  stop = true;
  auto r = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(h.transport->calls(), 1u);  // the attempt already under way, no retry
  EXPECT_EQ(r.error().code, "RequestLimitExceeded");
  EXPECT_NE(r.error().message.find("not retried: interrupted"), std::string::npos) << r.error().message;
  stop = false;
  auto again = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  EXPECT_TRUE(again.ok()) << again.error().ToString();  // 503 once more, then 200: retried as usual
  EXPECT_EQ(h.transport->calls(), 3u);
}

TEST(AwsClientTest, GivesUpAfterMaxAttempts) {
  ClientOptions o;
  o.max_attempts = 4;
  Harness h(o);
  for (int i = 0; i < 6; ++i) h.transport->Reply(503, "");
  auto r = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(h.transport->calls(), 4u);
  EXPECT_EQ(r.error().kind, Error::Kind::kServer);
  EXPECT_NE(r.error().message.find("gave up after 4 attempts"), std::string::npos) << r.error().message;
}

TEST(AwsClientTest, NonRetryableErrorsSurfaceAtOnce) {
  Harness h;
  h.transport->Reply(400,
                     "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>nope</Message></Error>"
                     "</Errors><RequestID>x</RequestID></Response>");
  h.transport->Reply(400,
                     "<Response><Errors><Error><Code>VpcLimitExceeded</Code><Message>max</Message></Error>"
                     "</Errors></Response>");
  h.transport->Reply(500, "<html>boom</html>", {{"content-type", "text/html; charset=utf-8"}});
  auto a = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  auto b = h.client->Query("ec2", "eu-west-1", "CreateVpc", {});
  auto c = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  EXPECT_EQ(h.transport->calls(), 3u);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, Error::Kind::kNotFound);
  EXPECT_EQ(a.error().operation, "DescribeVpcs");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind, Error::Kind::kQuota);
  EXPECT_NE(b.error().message.find("VpcLimitExceeded"), std::string::npos);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "EmulatorLimitation");
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(AwsClientTest, NonIdempotentCallIsNotRepeatedAfterItMayHaveRun) {
  Harness h;
  h.transport->Fail(kTransportCutShort);
  h.transport->Fail(kTransportReset);
  auto cut = h.client->Query("ec2", "eu-west-1", "CreateVpc", {}, CallOptions{.idempotent = false});
  auto reset = h.client->Query("ec2", "eu-west-1", "CreateVpc", {}, CallOptions{.idempotent = false});
  EXPECT_EQ(h.transport->calls(), 2u);
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, kTransportCutShort);
  EXPECT_NE(cut.error().message.find("not idempotent"), std::string::npos);
  ASSERT_FALSE(reset.ok());
  EXPECT_EQ(reset.error().service, "ec2");
}

TEST(AwsClientTest, NonIdempotentCallIsRetriedWhenSurelyNotProcessed) {
  Harness h;
  h.transport->Fail(kTransportNotSent);
  h.transport->Reply(503, kThrottle);
  h.transport->Reply(502, "");
  h.transport->Reply(200, kVpcs);
  auto r = h.client->Query("ec2", "eu-west-1", "CreateVpc", {}, CallOptions{.idempotent = false});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(h.transport->calls(), 4u);
}

TEST(AwsClientTest, IdempotentCallIsRetriedAfterCutShortBody) {
  Harness h;
  h.transport->Fail(kTransportCutShort);
  h.transport->Fail(kTransportTimeout);
  h.transport->Reply(200, kVpcs);
  auto r = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(h.transport->calls(), 3u);
}

TEST(AwsClientTest, ExpiredTokenRefreshesCredentialsOnce) {
  Harness h;
  h.transport->Reply(400, R"({"__type":"ExpiredTokenException","message":"expired"})");
  h.transport->Reply(200, "{}");
  auto r = h.client->Json("dynamodb", "eu-west-1", "ListTables", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(h.transport->calls(), 2u);
}

TEST(AwsClientTest, UnknownServiceIsABug) {
  Harness h;
  auto r = h.client->Query("nope", "eu-west-1", "X", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kInternal);
  EXPECT_EQ(h.transport->calls(), 0u);
}

TEST(AwsClientTest, WebIdentityGoesThroughUnsignedStsCallOfThisClient) {
  test::TempDir tmp("infra-aws-client-test");
  std::string token_file = tmp.File("token");
  std::ofstream(token_file) << "eyJ.header.sig\n";
  Harness h({},
            {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
             {"AWS_REGION", "eu-west-1"},
             {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
             {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"}},
            /*static_creds=*/false);
  h.transport->Reply(200,
                     "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                     "<AccessKeyId>ASIAWEBID</AccessKeyId><SecretAccessKey>webSecret</SecretAccessKey>"
                     "<SessionToken>webToken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
                     "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  h.transport->Reply(200, "<GetCallerIdentityResponse/>");
  auto r = h.client->Query("sts", "eu-west-1", "GetCallerIdentity", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(h.transport->calls(), 2u);
  EXPECT_NE(h.transport->requests()[0].body.find("Action=AssumeRoleWithWebIdentity"), std::string::npos);
  EXPECT_EQ(h.Header(0, "authorization"), "") << "AssumeRoleWithWebIdentity is unsigned";
  EXPECT_EQ(h.Header(1, "authorization").rfind("AWS4-HMAC-SHA256 Credential=ASIAWEBID/", 0), 0u);
  EXPECT_EQ(h.Header(1, "x-amz-security-token"), "webToken");
  auto source = h.client->CredentialSource();
  ASSERT_TRUE(source.ok());
  EXPECT_NE(source->find("web-identity"), std::string::npos) << *source;
}

TEST(AwsClientTest, CallLogHasFieldsButNoSecrets) {
  Harness h;
  h.transport->Reply(503, kThrottle);
  h.transport->Reply(200, kVpcs);
  log::Level before = log::GetLevel();
  log::SetLevel(log::Level::kDebug);
  testing::internal::CaptureStderr();
  auto r = h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  std::string err = testing::internal::GetCapturedStderr();
  log::SetLevel(before);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(err.find("aws ec2 DescribeVpcs eu-west-1 503 RequestLimitExceeded attempt=1 "), std::string::npos)
      << err;
  EXPECT_NE(err.find("aws ec2 DescribeVpcs eu-west-1 200 attempt=2 "), std::string::npos) << err;
  EXPECT_EQ(err.find(kSecret), std::string::npos);
  EXPECT_EQ(err.find(kToken), std::string::npos);
  EXPECT_EQ(err.find("Signature="), std::string::npos);
  EXPECT_EQ(err.find("AWS4-HMAC-SHA256"), std::string::npos);
}

TEST(AwsClientTest, SharedAcrossThreads) {
  Harness h;
  for (int i = 0; i < 64; ++i) h.transport->Reply(200, kVpcs);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 8; ++i)
        if (h.client->Query("ec2", "eu-west-1", "DescribeVpcs", {}).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 64);
}

}  // namespace
}  // namespace infra::aws
