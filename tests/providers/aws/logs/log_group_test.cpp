// aws_cloudwatch_log_group over a scripted client, with golden wire
// fixtures (tests/data/aws/wire/aws_cloudwatch_log_group.json): the create
// body with its tag map, the retention put after it, the batched read by
// logGroupIdentifiers (pages followed, unasked groups ignored), the ARN
// without ":*", updates and unsets, the tag calls, delete and adoption.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

json Group(const std::string& name, int days = 0) {
  json g = {{"logGroupName", name}, {"arn", "arn:aws:logs:eu-west-1:123456789012:log-group:" + name + ":*"},
            {"creationTime", 1}, {"storedBytes", 0}};
  if (days) g["retentionInDays"] = days;
  return g;
}

json Tags(const std::string& address) {
  return {{"tags", {{"team", "a"}, {"infra:address", address}, {"infra:stack", "s"}}}};
}

class LogGroupTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_cloudwatch_log_group"); }
  provider::OperationContext Ctx(const std::string& address = "aws_cloudwatch_log_group.app") {
    return {"s", address, "eu-west-1", "tok", nullptr};
  }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(LogGroupTest, RetentionIsDeclaredAsTheValuesAwsAllows) {
  const auto* days = T().schema().Find("retention_in_days");
  ASSERT_NE(days, nullptr);
  ASSERT_EQ(days->checks.size(), 1u);
  EXPECT_EQ(days->checks[0].kind, provider::AttrCheck::Kind::kOneOf);
  EXPECT_EQ(days->checks[0].values.size(), 22u);
  EXPECT_EQ(days->checks[0].values.front(), "1");
  EXPECT_EQ(days->checks[0].values.back(), "3653");
  EXPECT_EQ(T().schema().service, "logs");
}

TEST_F(LogGroupTest, CreateSendsNameKeyAndTagsThenTheRetention) {
  client_->ReplyJson("CreateLogGroup", json::object());
  client_->ReplyJson("PutRetentionPolicy", json::object());
  client_->ReplyJson("DescribeLogGroups", {{"logGroups", {Group("/app", 14)}}});
  client_->ReplyJson("ListTagsForResource", Tags("aws_cloudwatch_log_group.app"));
  auto r = T().Create(Ctx(), {{"name", "/app"}, {"retention_in_days", 14}, {"kms_key_id", "arn:k"},
                              {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_cloudwatch_log_group", "create"));
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], "/app");
  EXPECT_EQ(a["name"], "/app");
  EXPECT_EQ(a["arn"], "arn:aws:logs:eu-west-1:123456789012:log-group:/app");  // without ":*"
  EXPECT_EQ(a["retention_in_days"], 14);
  EXPECT_EQ(a["tags"], json({{"team", "a"}}));
  EXPECT_FALSE(a.contains("kms_key_id"));  // not reported back: not set
}

TEST_F(LogGroupTest, NamePrefixGeneratesTheNameAndTheIdIsIt) {
  client_->ReplyJson("CreateLogGroup", json::object());
  client_->ReplyJson("DescribeLogGroups", {{"logGroups", json::array()}});
  auto r = T().Create(Ctx(), {{"name_prefix", "app-"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::string sent = client_->calls()[0].body["logGroupName"];
  EXPECT_EQ(sent.rfind("app-", 0), 0u) << sent;
  EXPECT_EQ(sent.size(), 4u + 20u);
  EXPECT_EQ(r->attributes["id"], sent);
  EXPECT_TRUE(r->pending);  // not visible yet: Poll reads again
}

TEST_F(LogGroupTest, ReadBatchesByIdentifiersFollowsPagesAndKeepsOnlyTheAskedGroups) {
  client_->ReplyJson("DescribeLogGroups", {{"logGroups", {Group("/a", 3), Group("/other")}}, {"nextToken", "p2"}});
  client_->ReplyJson("ListTagsForResource", {{"tags", json::object()}});
  client_->ReplyJson("DescribeLogGroups", {{"logGroups", {Group("/b")}}});
  client_->ReplyJson("ListTagsForResource", {{"tags", {{"k", "v"}}}});
  auto got = T().Read("eu-west-1", {"/a", "/b", "/gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_cloudwatch_log_group", "read"));
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ(got->at("/a")["retention_in_days"], 3);
  EXPECT_TRUE(got->at("/a")["tags"].is_null());  // no tags reads as null
  EXPECT_FALSE(got->at("/b").contains("retention_in_days"));  // never expires
  EXPECT_EQ(got->at("/b")["tags"], json({{"k", "v"}}));
}

TEST_F(LogGroupTest, UpdatesPutOrDeleteTheRetentionAndKeyAndMoveTags) {
  const std::string arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/app";
  json prior = {{"id", "/app"}, {"name", "/app"}, {"arn", arn}, {"retention_in_days", 14}, {"kms_key_id", "k1"},
                {"tags", {{"team", "a"}, {"old", "x"}}}};
  json desired = prior;
  desired.erase("retention_in_days");
  desired["kms_key_id"] = "k2";
  desired["tags"] = {{"team", "b"}};
  client_->ReplyJson("DeleteRetentionPolicy", json::object());
  client_->ReplyJson("AssociateKmsKey", json::object());
  client_->ReplyJson("UntagResource", json::object());
  client_->ReplyJson("TagResource", json::object());
  client_->ReplyJson("DescribeLogGroups", {{"logGroups", {Group("/app")}}});
  client_->ReplyJson("ListTagsForResource", {{"tags", {{"team", "b"}}}});
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_cloudwatch_log_group", "update"));
  EXPECT_EQ(r->attributes["tags"], json({{"team", "b"}}));
}

TEST_F(LogGroupTest, DeleteTreatsAGoneGroupAsDeleted) {
  client_->Fail("DeleteLogGroup", "ResourceNotFoundException", Error::Kind::kNotFound);
  auto r = T().Delete(Ctx(), {{"id", "/app"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->pending);
  EXPECT_EQ(client_->calls()[0].body, json({{"logGroupName", "/app"}}));
}

TEST_F(LogGroupTest, AdoptionByNameNeedsThisAddressesTags) {
  client_->ReplyJson("DescribeLogGroups", {{"logGroups", {Group("/app")}}});
  client_->ReplyJson("ListTagsForResource", Tags("aws_cloudwatch_log_group.other"));
  auto other = T().FindByAddress(Ctx(), {{"name", "/app"}});
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  EXPECT_FALSE(other->has_value());  // same name, another resource's tags: not adopted

  client_->ReplyJson("DescribeLogGroups", {{"logGroups", {Group("/app")}}});
  client_->ReplyJson("ListTagsForResource", Tags("aws_cloudwatch_log_group.app"));
  auto ours = T().FindByAddress(Ctx(), {{"name", "/app"}});
  ASSERT_TRUE(ours.ok()) << ours.error().ToString();
  ASSERT_TRUE(ours->has_value());
  EXPECT_EQ((**ours)["id"], "/app");
}

}  // namespace
}  // namespace infra::aws
