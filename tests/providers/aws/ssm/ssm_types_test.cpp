// The SSM family over a scripted client: a SecureString's PutParameter
// (tags at create; with overwrite they follow by AddTagsToResource), its
// value sensitive in the schema, reads by GetParameters 10 names a call
// WithDecryption plus DescribeParameters and ListTagsForResource, an update
// by PutParameter with Overwrite, and the data source's decryption switch.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

json Param(const std::string& name, const std::string& value = "s3cret") {
  return {{"Name", name}, {"Type", "SecureString"}, {"Value", value}, {"Version", 1},
          {"ARN", "arn:aws:ssm:eu-west-1:123456789012:parameter" + name}, {"DataType", "text"}};
}
json Meta(const std::string& name) {
  return {{"Name", name}, {"Type", "SecureString"}, {"KeyId", "alias/aws/ssm"}, {"Tier", "Standard"},
          {"Description", "db password"}};
}

class SsmTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_ssm_parameter"); }
  provider::OperationContext Ctx() { return {"s", "aws_ssm_parameter.db", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
  json desired_ = {{"name", "/app/db"}, {"type", "SecureString"}, {"value", "s3cret"}, {"description", "db password"},
                   {"tier", "Standard"}, {"tags", {{"team", "db"}}}};
  void ScriptRead(const std::string& name, const std::string& value = "s3cret") {
    client_->ReplyJson("GetParameters", {{"Parameters", {Param(name, value)}}, {"InvalidParameters", json::array()}});
    client_->ReplyJson("DescribeParameters", {{"Parameters", {Meta(name)}}});
    client_->ReplyJson("ListTagsForResource", {{"TagList", {{{"Key", "team"}, {"Value", "db"}}, {{"Key", "infra:stack"}, {"Value", "s"}}}}});
  }
};

TEST_F(SsmTypesTest, TheValueIsSensitiveAndTypeIsAReservedKeyAttribute) {
  ASSERT_NE(T().schema().Find("value"), nullptr);
  EXPECT_TRUE(T().schema().Find("value")->sensitive);
  EXPECT_TRUE(T().schema().Find("type")->force_new);
  auto* data = provider_->FindData("aws_ssm_parameter");
  ASSERT_NE(data, nullptr);
  EXPECT_TRUE(data->schema().Find("value")->sensitive);
}

TEST_F(SsmTypesTest, CreatePutsWithTagsAndReadsDecrypted) {
  client_->ReplyJson("PutParameter", {{"Version", 1}, {"Tier", "Standard"}});
  ScriptRead("/app/db");
  auto r = T().Create(Ctx(), desired_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].service, "ssm");
  EXPECT_EQ(calls[0].body["Name"], "/app/db");
  EXPECT_EQ(calls[0].body["Type"], "SecureString");
  EXPECT_EQ(calls[0].body["Value"], "s3cret");
  EXPECT_FALSE(calls[0].body.contains("Overwrite"));
  EXPECT_EQ(calls[0].body["Tags"][0]["Key"], "infra:address");
  EXPECT_EQ(calls[1].body["WithDecryption"], true);
  EXPECT_EQ(calls[1].body["Names"], json({"/app/db"}));
  EXPECT_EQ(calls[3].body, json({{"ResourceType", "Parameter"}, {"ResourceId", "/app/db"}}));
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], "/app/db");
  EXPECT_EQ(a["value"], "s3cret");
  EXPECT_EQ(a["version"], 1);
  EXPECT_EQ(a["key_id"], "alias/aws/ssm");
  EXPECT_EQ(a["description"], "db password");
  EXPECT_EQ(a["tags"], json({{"team", "db"}}));
}

TEST_F(SsmTypesTest, WithOverwriteTheTagsFollowThePut) {
  client_->ReplyJson("PutParameter", {{"Version", 2}});
  client_->ReplyJson("AddTagsToResource", json::object());
  ScriptRead("/app/db");
  desired_["overwrite"] = true;
  ASSERT_TRUE(T().Create(Ctx(), desired_).ok());
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].body["Overwrite"], true);
  EXPECT_FALSE(calls[0].body.contains("Tags"));
  EXPECT_EQ(calls[1].action, "AddTagsToResource");
  EXPECT_EQ(calls[1].body["ResourceType"], "Parameter");
}

TEST_F(SsmTypesTest, ReadsAskTenNamesACall) {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) names.push_back("/p/" + std::to_string(i));
  client_->ReplyJson("GetParameters", {{"Parameters", json::array()}, {"InvalidParameters", json::array()}});
  client_->ReplyJson("GetParameters", {{"Parameters", json::array()}, {"InvalidParameters", json::array()}});
  auto got = T().Read("eu-west-1", names);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(got->empty());  // none exists
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].body["Names"].size(), 10u);
  EXPECT_EQ(calls[1].body["Names"], json({"/p/10", "/p/11"}));
}

TEST_F(SsmTypesTest, AValueChangeIsAPutWithOverwriteATagChangeIsNot) {
  client_->ReplyJson("PutParameter", {{"Version", 2}});
  ScriptRead("/app/db", "n3w");
  json prior = desired_;
  prior["id"] = "/app/db";
  json desired = desired_;
  desired["value"] = "n3w";
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls()[0].body["Overwrite"], true);
  EXPECT_EQ(client_->calls()[0].body["Value"], "n3w");

  client_ = std::make_shared<ScriptedAwsClient>();
  provider_ = NewAwsProviderWithClient(client_);
  client_->ReplyJson("AddTagsToResource", json::object());
  ScriptRead("/app/db");
  desired = desired_;
  desired["tags"] = {{"team", "ops"}};
  ASSERT_TRUE(T().Update(Ctx(), prior, desired).ok());
  EXPECT_EQ(client_->calls()[0].action, "AddTagsToResource");
  EXPECT_EQ(client_->calls()[0].body["Tags"], json({{{"Key", "team"}, {"Value", "ops"}}}));
}

TEST_F(SsmTypesTest, TheDataSourceDecryptsUnlessAskedNotTo) {
  auto* data = provider_->FindData("aws_ssm_parameter");
  client_->ReplyJson("GetParameter", {{"Parameter", Param("/app/db", "AQICAH...")}});
  auto got = data->Read(Ctx(), {{"name", "/app/db"}, {"with_decryption", false}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(client_->calls()[0].body["WithDecryption"], false);
  EXPECT_EQ((*got)["value"], "AQICAH...");
  EXPECT_EQ((*got)["arn"], "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db");
}

}  // namespace
}  // namespace infra::aws
