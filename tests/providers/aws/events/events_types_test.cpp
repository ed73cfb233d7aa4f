// aws_cloudwatch_event_rule and aws_cloudwatch_event_target over a scripted
// client: PutRule with [{Key,Value}] tags, state DISABLED as an in-place
// PutRule with every argument, the batched read by the names' common
// prefix, event patterns compared as documents; PutTargets with one entry
// (a failed entry is an error), ListTargetsByRule once per rule, and
// RemoveTargets.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

json Rule(const std::string& name, const std::string& state = "ENABLED") {
  return {{"Name", name}, {"Arn", "arn:aws:events:eu-west-1:1:rule/" + name}, {"State", state},
          {"ScheduleExpression", "rate(5 minutes)"}, {"EventBusName", "default"}};
}

json RuleTags(const std::string& address) {
  return {{"Tags", {{{"Key", "infra:address"}, {"Value", address}}, {{"Key", "infra:stack"}, {"Value", "s"}}}}};
}

class EventsTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address = "aws_cloudwatch_event_rule.r") {
    return {"s", address, "eu-west-1", "tok", nullptr};
  }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(EventsTest, ARuleIsPutWithTagsAndReadBackByItsPrefix) {
  client_->ReplyJson("PutRule", {{"RuleArn", "arn:aws:events:eu-west-1:1:rule/health"}});
  client_->ReplyJson("ListRules", {{"Rules", {Rule("health"), Rule("health-dr")}}});
  client_->ReplyJson("ListTagsForResource", RuleTags("aws_cloudwatch_event_rule.r"));
  auto r = T("aws_cloudwatch_event_rule")
               .Create(Ctx(), {{"name", "health"}, {"schedule_expression", "rate(5 minutes)"}, {"state", "ENABLED"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].body, json({{"Name", "health"}, {"ScheduleExpression", "rate(5 minutes)"}, {"State", "ENABLED"},
                                 {"Tags", {{{"Key", "infra:address"}, {"Value", "aws_cloudwatch_event_rule.r"}},
                                           {{"Key", "infra:stack"}, {"Value", "s"}}}}}));
  EXPECT_EQ(calls[1].body, json({{"NamePrefix", "health"}, {"Limit", 100}}));
  EXPECT_EQ(calls[2].body, json({{"ResourceARN", "arn:aws:events:eu-west-1:1:rule/health"}}));
  EXPECT_EQ(r->attributes["id"], "health");
  EXPECT_EQ(r->attributes["arn"], "arn:aws:events:eu-west-1:1:rule/health");
  EXPECT_TRUE(r->attributes["event_pattern"].is_null());
}

TEST_F(EventsTest, DisablingARuleIsAnInPlacePutRuleWithEveryArgument) {
  json prior = {{"id", "health"}, {"name", "health"}, {"schedule_expression", "rate(5 minutes)"},
                {"state", "ENABLED"}, {"description", "probe"}, {"arn", "arn:aws:events:eu-west-1:1:rule/health"}};
  json desired = prior;
  desired["state"] = "DISABLED";
  client_->ReplyJson("PutRule", {{"RuleArn", "arn:aws:events:eu-west-1:1:rule/health"}});
  client_->ReplyJson("ListRules", {{"Rules", {Rule("health", "DISABLED")}}});
  client_->ReplyJson("ListTagsForResource", RuleTags("aws_cloudwatch_event_rule.r"));
  auto r = T("aws_cloudwatch_event_rule").Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls()[0].body, json({{"Name", "health"}, {"ScheduleExpression", "rate(5 minutes)"},
                                            {"State", "DISABLED"}, {"Description", "probe"}}));
  EXPECT_EQ(r->attributes["state"], "DISABLED");
}

TEST_F(EventsTest, ManyRulesAreOneListRulesByTheirCommonPrefixAndPatternsCompareAsDocuments) {
  json with_pattern = Rule("app-b");
  with_pattern.erase("ScheduleExpression");
  with_pattern["EventPattern"] = R"({"source":["aws.ecs"],"detail-type":["ECS Task State Change"]})";
  client_->ReplyJson("ListRules", {{"Rules", {Rule("app-a")}}, {"NextToken", "t"}});
  client_->ReplyJson("ListTagsForResource", RuleTags("x"));
  client_->ReplyJson("ListRules", {{"Rules", {with_pattern, Rule("app-c")}}});
  client_->ReplyJson("ListTagsForResource", RuleTags("y"));
  auto r = T("aws_cloudwatch_event_rule").Read("eu-west-1", {"app-a", "app-b"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(client_->calls()[0].body, json({{"NamePrefix", "app-"}, {"Limit", 100}}));
  EXPECT_EQ(client_->calls()[2].body, json({{"NamePrefix", "app-"}, {"Limit", 100}, {"NextToken", "t"}}));
  const auto* pattern = T("aws_cloudwatch_event_rule").schema().Find("event_pattern");
  json yaml_map = {{"detail-type", {"ECS Task State Change"}}, {"source", "aws.ecs"}};
  EXPECT_TRUE(provider::SameValue(*pattern, r->at("app-b")["event_pattern"], yaml_map));
}

TEST_F(EventsTest, ATargetIsPutReadPerRuleAndRemoved) {
  client_->ReplyJson("PutTargets", {{"FailedEntryCount", 0}, {"FailedEntries", json::array()}});
  client_->ReplyJson("ListTargetsByRule",
                     {{"Targets", {{{"Id", "fn"}, {"Arn", "arn:aws:lambda:eu-west-1:1:function:f"}, {"Input", R"({"a": 1})"}}}}});
  json desired = {{"rule", "health"}, {"target_id", "fn"}, {"arn", "arn:aws:lambda:eu-west-1:1:function:f"},
                  {"input", R"({"a":1})"}};
  auto r = T("aws_cloudwatch_event_target").Create(Ctx("aws_cloudwatch_event_target.t"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls()[0].body,
            json({{"Rule", "health"},
                  {"Targets", {{{"Id", "fn"}, {"Arn", "arn:aws:lambda:eu-west-1:1:function:f"}, {"Input", R"({"a":1})"}}}}}));
  EXPECT_EQ(r->attributes["id"], "health/fn");
  EXPECT_TRUE(r->attributes["role_arn"].is_null());

  client_->Fail("ListTargetsByRule", "ResourceNotFoundException", Error::Kind::kNotFound);  // rule "gone"
  client_->ReplyJson("ListTargetsByRule", {{"Targets", {{{"Id", "fn"}, {"Arn", "a"}}, {{"Id", "x"}, {"Arn", "b"}}}}});
  auto read = T("aws_cloudwatch_event_target").Read("eu-west-1", {"health/fn", "health/x", "gone/y"});
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->size(), 2u);
  EXPECT_EQ(client_->calls().size(), 4u);  // one call per rule

  client_->ReplyJson("RemoveTargets", {{"FailedEntryCount", 0}});
  ASSERT_TRUE(T("aws_cloudwatch_event_target").Delete(Ctx(), r->attributes).ok());
  EXPECT_EQ(client_->calls().back().body, json({{"Rule", "health"}, {"Ids", {"fn"}}}));
}

TEST_F(EventsTest, AFailedTargetEntryIsAnError) {
  client_->ReplyJson("PutTargets", {{"FailedEntryCount", 1},
                                    {"FailedEntries", {{{"TargetId", "fn"}, {"ErrorCode", "ValidationException"},
                                                        {"ErrorMessage", "bad arn"}}}}});
  auto r = T("aws_cloudwatch_event_target")
               .Create(Ctx("aws_cloudwatch_event_target.t"), {{"rule", "r"}, {"target_id", "fn"}, {"arn", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad arn"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace infra::aws
