// Error parsing of every protocol from recorded moto bodies (tests/data/aws).
#include "providers/aws/sdk/aws_error.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "providers/aws/sdk/transport.h"
#include "test_paths.h"

namespace infra::aws {
namespace {

std::string Golden(const std::string& name) {
  std::ifstream in(test::DataDir() + "/aws/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

HttpResponse Reply(int status, std::string body, std::map<std::string, std::string> headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

TEST(AwsErrorTest, Ec2ResponseErrors) {
  Error e = ParseAwsError("ec2", "DescribeVpcs",
                          Reply(400, Golden("ec2_invalid_vpc_id.xml"), {{"x-amzn-requestid", "hdr-id"}}));
  EXPECT_EQ(e.code, "InvalidVpcID.NotFound");
  EXPECT_EQ(e.kind, Error::Kind::kNotFound);
  EXPECT_NE(e.message.find("vpc-0123456789abcdef0"), std::string::npos);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.service, "ec2");
  EXPECT_EQ(e.operation, "DescribeVpcs");
  EXPECT_EQ(e.request_id, "hdr-id");  // body holds the literal "request-id"
}

TEST(AwsErrorTest, QueryErrorResponse) {
  Error e = ParseAwsError("rds", "DescribeDBClusters", Reply(404, Golden("query_rds_cluster_not_found.xml")));
  EXPECT_EQ(e.code, "DBClusterNotFoundFault");
  EXPECT_EQ(e.kind, Error::Kind::kNotFound);
  EXPECT_EQ(e.message, "DBCluster nope not found.");
  EXPECT_EQ(e.request_id, "qlt6EOrUcqlDm7QE3sp5KzBMNsSfCqn3meiYHcmuwuGz5YjqRtSH");
}

TEST(AwsErrorTest, JsonTypeWithNamespace) {
  Error e = ParseAwsError("dynamodb", "PutItem", Reply(400, Golden("json_dynamodb_conditional_check_failed.json")));
  EXPECT_EQ(e.code, "ConditionalCheckFailedException");
  EXPECT_EQ(e.kind, Error::Kind::kConflict);
  EXPECT_EQ(e.message, "The conditional request failed");
}

TEST(AwsErrorTest, JsonPlainTypeAndRequestIdHeader) {
  Error e = ParseAwsError("ecs", "DescribeServices",
                          Reply(400, Golden("json_ecs_cluster_not_found.json"), {{"x-amzn-requestid", "E97"}}));
  EXPECT_EQ(e.code, "ClusterNotFoundException");
  EXPECT_EQ(e.kind, Error::Kind::kNotFound);
  EXPECT_EQ(e.request_id, "E97");
}

TEST(AwsErrorTest, JsonCodeFromHeaderWhenBodyEmpty) {
  Error e = ParseAwsError("logs", "X", Reply(400, "", {{"x-amzn-errortype", "ThrottlingException:http://internal"}}));
  EXPECT_EQ(e.code, "ThrottlingException");
  EXPECT_EQ(e.kind, Error::Kind::kThrottled);
}

TEST(AwsErrorTest, S3BareError) {
  Error e = ParseAwsError("s3", "GetBucketVersioning", Reply(404, Golden("s3_no_such_bucket.xml")));
  EXPECT_EQ(e.code, "NoSuchBucket");
  EXPECT_EQ(e.kind, Error::Kind::kNotFound);
  EXPECT_EQ(e.request_id, "8Odjxid1iYjBXAtbEx8qN0S5haZl3sEjQh9rLB9fIN65KNRFkgoU");
}

TEST(AwsErrorTest, Route53ErrorResponse) {
  Error e = ParseAwsError("route53", "GetHostedZone", Reply(404, Golden("route53_no_such_hosted_zone.xml")));
  EXPECT_EQ(e.code, "NoSuchHostedZone");
  EXPECT_EQ(e.message, "No hosted zone found with ID: ZNOPE");
}

TEST(AwsErrorTest, HeadWithEmptyBody) {
  Error e = ParseAwsError("s3", "HeadBucket", Reply(404, ""));
  EXPECT_EQ(e.code, "NotFound");
  EXPECT_EQ(e.kind, Error::Kind::kNotFound);
  EXPECT_NE(e.message.find("empty body"), std::string::npos);
}

TEST(AwsErrorTest, AuthErrorAsXmlFromJsonService) {
  Error e = ParseAwsError("dynamodb", "ListTables",
                          Reply(403, Golden("auth_error_json_service.xml"), {{"content-type", "text/html; charset=utf-8"}}));
  EXPECT_EQ(e.code, "InvalidClientTokenId");
  EXPECT_EQ(e.kind, Error::Kind::kAuth);
}

TEST(AwsErrorTest, MotoHtml500IsEmulatorLimitation) {
  Error e = ParseAwsError("ec2", "DescribeVpcs",
                          Reply(500, Golden("moto_500.html"), {{"content-type", "text/html; charset=utf-8"}}));
  EXPECT_EQ(e.code, kEmulatorLimitation);
  EXPECT_NE(e.message.find("emulator"), std::string::npos);
}

TEST(AwsErrorTest, QuotaNamedInMessage) {
  Error e = ParseAwsError(
      "ec2", "CreateVpc",
      Reply(400, "<Response><Errors><Error><Code>VpcLimitExceeded</Code><Message>The maximum number of VPCs has "
                 "been reached.</Message></Error></Errors></Response>"));
  EXPECT_EQ(e.kind, Error::Kind::kQuota);
  EXPECT_NE(e.message.find("VpcLimitExceeded"), std::string::npos);
}

TEST(AwsErrorTest, GarbageBodyKeepsStatusAndExcerpt) {
  Error e = ParseAwsError("ec2", "X", Reply(502, "bad gateway\nfrom proxy"));
  EXPECT_EQ(e.code, "HTTP502");
  EXPECT_EQ(e.kind, Error::Kind::kServer);
  EXPECT_NE(e.message.find("bad gateway from proxy"), std::string::npos);
}

TEST(AwsErrorTest, Classification) {
  EXPECT_TRUE(IsThrottlingCode("RequestLimitExceeded"));
  EXPECT_FALSE(IsQuotaCode("RequestLimitExceeded"));
  EXPECT_TRUE(IsQuotaCode("LimitExceededException"));
  EXPECT_TRUE(IsQuotaCode("AddressLimitExceeded"));
  EXPECT_TRUE(IsQuotaCode("TooManyLoadBalancers"));
  EXPECT_FALSE(IsQuotaCode("TooManyRequestsException"));
  EXPECT_EQ(ClassifyAwsError("InvalidGroup.Duplicate", 400), Error::Kind::kConflict);
  EXPECT_EQ(ClassifyAwsError("DependencyViolation", 400), Error::Kind::kConflict);
  EXPECT_EQ(ClassifyAwsError("SignatureDoesNotMatch", 403), Error::Kind::kAuth);
  EXPECT_EQ(ClassifyAwsError("ValidationException", 400), Error::Kind::kInvalid);
  EXPECT_EQ(ClassifyAwsError("Whatever", 503), Error::Kind::kServer);
}

// Every recorded body cut at every byte offset still parses into an Error
// with a code and a message (the parser never trusts the body's shape).
TEST(AwsErrorTest, TruncatedBodiesAtEveryOffset) {
  for (const char* name : {"ec2_invalid_vpc_id.xml", "query_rds_cluster_not_found.xml",
                           "json_dynamodb_conditional_check_failed.json", "s3_no_such_bucket.xml",
                           "route53_no_such_hosted_zone.xml", "auth_error_json_service.xml", "moto_500.html"}) {
    std::string body = Golden(name);
    for (size_t cut = 0; cut <= body.size(); ++cut) {
      Error e = ParseAwsError("svc", "Op", Reply(400, body.substr(0, cut)));
      ASSERT_FALSE(e.code.empty()) << name << " cut at " << cut;
      ASSERT_FALSE(e.message.empty()) << name << " cut at " << cut;
      ASSERT_EQ(e.http_status, 400);
    }
  }
}

}  // namespace
}  // namespace infra::aws
