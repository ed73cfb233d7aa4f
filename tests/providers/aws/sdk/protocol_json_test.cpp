// JSON protocol framing and reply parsing.
#include "providers/aws/sdk/protocol_json.h"

#include <gtest/gtest.h>

#include "providers/aws/sdk/endpoints.h"

namespace infra::aws {
namespace {

std::string HeaderOf(const SigningRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(ProtocolJsonTest, TargetAndContentType) {
  ServiceInfo ddb;
  ddb.name = "dynamodb";
  ddb.json_version = "1.0";
  ddb.target_prefix = "DynamoDB_20120810";
  SigningRequest r = BuildJsonRequest(ddb, "PutItem", {{"TableName", "t"}});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(HeaderOf(r, "x-amz-target"), "DynamoDB_20120810.PutItem");
  EXPECT_EQ(HeaderOf(r, "content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(r.body, R"({"TableName":"t"})");
}

TEST(ProtocolJsonTest, NullBodyIsEmptyObject) {
  ServiceInfo ecs;
  ecs.json_version = "1.1";
  ecs.target_prefix = "AmazonEC2ContainerServiceV20141113";
  SigningRequest r = BuildJsonRequest(ecs, "ListClusters", nullptr);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(HeaderOf(r, "content-type"), "application/x-amz-json-1.1");
}

TEST(ProtocolJsonTest, ParseReply) {
  auto ok = ParseJsonReply(R"({"clusterArns":["arn:a"]})", "ecs ListClusters");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["clusterArns"][0], "arn:a");
  auto empty = ParseJsonReply("  ", "x");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_object());
  auto bad = ParseJsonReply("<html>", "ecs ListClusters");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "MalformedReply");
  EXPECT_NE(bad.error().message.find("ecs ListClusters"), std::string::npos);
}

}  // namespace
}  // namespace infra::aws
