// aws_lambda_permission and aws_lambda_alias over a scripted client: the
// AddPermission body and its id, the statement read back from GetPolicy's
// document (principal, source ARN condition), a missing statement as gone,
// RemovePermission by statement id; the alias's create, in-place update
// and GetAlias read.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

std::string Policy(const std::string& sid) {
  json doc = {{"Version", "2012-10-17"},
              {"Statement",
               {{{"Sid", sid}, {"Effect", "Allow"}, {"Principal", {{"Service", "events.amazonaws.com"}}},
                 {"Action", "lambda:InvokeFunction"}, {"Resource", "arn:aws:lambda:eu-west-1:1:function:f"},
                 {"Condition", {{"ArnLike", {{"AWS:SourceArn", "arn:aws:events:eu-west-1:1:rule/r"}}}}}},
                {{"Sid", "other"}, {"Effect", "Allow"}, {"Principal", {{"AWS", "arn:aws:iam::123456789012:root"}}},
                 {"Action", "lambda:InvokeFunction"}, {"Resource", "arn:aws:lambda:eu-west-1:1:function:f"}}}}};
  return json({{"Policy", doc.dump()}, {"RevisionId", "1"}}).dump();
}

class LambdaPermissionTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx() { return {"s", "aws_lambda_permission.p", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(LambdaPermissionTest, AddPermissionThenTheStatementIsReadFromThePolicy) {
  client_->ReplyRest("AddPermission", R"({"Statement":"{}"})", 201);
  client_->ReplyRest("GetPolicy", Policy("events"));
  json desired = {{"function_name", "f"}, {"statement_id", "events"}, {"action", "lambda:InvokeFunction"},
                  {"principal", "events.amazonaws.com"}, {"source_arn", "arn:aws:events:eu-west-1:1:rule/r"}};
  auto r = T("aws_lambda_permission").Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].rest.path, "/2015-03-31/functions/f/policy");
  EXPECT_EQ(json::parse(calls[0].rest.body),
            json({{"StatementId", "events"}, {"Action", "lambda:InvokeFunction"}, {"Principal", "events.amazonaws.com"},
                  {"SourceArn", "arn:aws:events:eu-west-1:1:rule/r"}}));
  EXPECT_EQ(calls[1].rest.path, "/2015-03-31/functions/f/policy");
  EXPECT_EQ(calls[1].rest.body, "");
  const json& a = r->attributes;
  EXPECT_EQ(a["id"], "f/events");
  EXPECT_EQ(a["principal"], "events.amazonaws.com");
  EXPECT_EQ(a["source_arn"], "arn:aws:events:eu-west-1:1:rule/r");
  EXPECT_EQ(a["action"], "lambda:InvokeFunction");
  EXPECT_TRUE(a["source_account"].is_null());
}

TEST_F(LambdaPermissionTest, AnAccountPrincipalReadsAsTheAccountAndAMissingStatementIsGone) {
  client_->ReplyRest("GetPolicy", Policy("events"));
  client_->ReplyRest("GetPolicy", Policy("events"));
  client_->Fail("GetPolicy", "ResourceNotFoundException", Error::Kind::kNotFound);
  auto r = T("aws_lambda_permission").Read("eu-west-1", {"f/other", "f/gone", "g/x"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->at("f/other")["principal"], "123456789012");
}

TEST_F(LambdaPermissionTest, DeleteRemovesTheStatementById) {
  client_->ReplyRest("RemovePermission", "", 204);
  ASSERT_TRUE(T("aws_lambda_permission").Delete(Ctx(), {{"id", "f:live/events"}}).ok());
  EXPECT_EQ(client_->calls()[0].rest.method, "DELETE");
  EXPECT_EQ(client_->calls()[0].rest.path, "/2015-03-31/functions/f%3Alive/policy/events");
}

TEST_F(LambdaPermissionTest, AnAliasIsCreatedUpdatedInPlaceAndRead) {
  std::string alias = R"({"AliasArn":"arn:aws:lambda:eu-west-1:1:function:f:live","Name":"live","FunctionVersion":"1"})";
  client_->ReplyRest("CreateAlias", alias, 201);
  client_->ReplyRest("GetAlias", alias);
  json desired = {{"function_name", "f"}, {"name", "live"}, {"function_version", "1"}};
  auto r = T("aws_lambda_alias").Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["id"], "f/live");
  EXPECT_EQ(r->attributes["arn"], "arn:aws:lambda:eu-west-1:1:function:f:live");
  EXPECT_EQ(client_->calls()[0].rest.path, "/2015-03-31/functions/f/aliases");
  json updated = r->attributes;
  updated["function_version"] = "2";
  client_->ReplyRest("UpdateAlias", alias);
  client_->ReplyRest("GetAlias", alias);
  ASSERT_TRUE(T("aws_lambda_alias").Update(Ctx(), r->attributes, updated).ok());
  EXPECT_EQ(client_->calls()[2].rest.path, "/2015-03-31/functions/f/aliases/live");
  EXPECT_EQ(json::parse(client_->calls()[2].rest.body)["FunctionVersion"], "2");
}

}  // namespace
}  // namespace infra::aws
