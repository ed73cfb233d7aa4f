// REST framing: S3 addressing (virtual-hosted vs path-style) and passthrough.
#include "providers/aws/sdk/protocol_rest.h"

#include <gtest/gtest.h>

#include "providers/aws/sdk/endpoints.h"

namespace infra::aws {
namespace {

TEST(ProtocolRestTest, S3VirtualHostedOnRealEndpoints) {
  Endpoint ep;
  ep.host = "s3.eu-west-1.amazonaws.com";
  RestRequest req;
  req.method = "PUT";
  req.path = "/my-bucket";
  req.query = {{"versioning", ""}};
  SigningRequest r = BuildRestRequest(req, ep, /*is_s3=*/true);
  EXPECT_EQ(ep.host, "my-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.query, req.query);
  EXPECT_EQ(r.method, "PUT");
}

TEST(ProtocolRestTest, S3PathStyleUnderOverride) {
  Endpoint ep;
  ep.host = "127.0.0.1";
  ep.s3_path_style = true;
  RestRequest req;
  req.path = "/my-bucket/some/key";
  SigningRequest r = BuildRestRequest(req, ep, true);
  EXPECT_EQ(ep.host, "127.0.0.1");
  EXPECT_EQ(r.path, "/my-bucket/some/key");
}

TEST(ProtocolRestTest, DottedBucketStaysInPath) {
  Endpoint ep;
  ep.host = "s3.eu-west-1.amazonaws.com";
  RestRequest req;
  req.path = "/logs.example.com/k";
  SigningRequest r = BuildRestRequest(req, ep, true);
  EXPECT_EQ(r.path, "/logs.example.com/k");
  EXPECT_FALSE(IsDnsCompatibleBucket("Upper"));
  EXPECT_TRUE(IsDnsCompatibleBucket("infra-state-1"));
}

TEST(ProtocolRestTest, Route53Untouched) {
  Endpoint ep;
  ep.host = "route53.amazonaws.com";
  RestRequest req;
  req.method = "POST";
  req.path = "/2013-04-01/hostedzone";
  req.headers["content-type"] = "application/xml";
  req.body = "<CreateHostedZoneRequest/>";
  SigningRequest r = BuildRestRequest(req, ep, false);
  EXPECT_EQ(ep.host, "route53.amazonaws.com");
  EXPECT_EQ(r.path, "/2013-04-01/hostedzone");
  EXPECT_EQ(r.body, req.body);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "content-type");
}

}  // namespace
}  // namespace infra::aws

namespace infra::aws {
namespace {

TEST(ProtocolRestTest, XmlBodyGetsXmlContentTypeByDefault) {
  Endpoint ep;
  ep.host = "127.0.0.1";
  ep.s3_path_style = true;
  RestRequest req;
  req.method = "PUT";
  req.path = "/b";
  req.body = "<CreateBucketConfiguration/>";
  SigningRequest r = BuildRestRequest(req, ep, true);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"content-type", "application/xml"}));
  req.body.clear();
  EXPECT_TRUE(BuildRestRequest(req, ep, true).headers.empty()) << "no body, no content type";
}

}  // namespace
}  // namespace infra::aws
