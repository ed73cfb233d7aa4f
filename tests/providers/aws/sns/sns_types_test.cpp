// The SNS family over a scripted client: a topic's create parameters
// (attribute entries, tags), its read from the attribute map and
// ListTagsForResource, the per-attribute update; a subscription's pending
// confirmation (no ARN from Subscribe, "PendingConfirmation" in the list)
// read by topic, protocol and endpoint, no drift, and forgotten on delete
// without an Unsubscribe; a confirmed one read and unsubscribed by ARN.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using test::ScriptedAwsClient;

const std::string kTopic = "arn:aws:sns:eu-west-1:123456789012:alerts";

std::string TopicAttributes(const std::string& policy) {
  return "<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes>"
         "<entry><key>Owner</key><value>123456789012</value></entry>"
         "<entry><key>TopicArn</key><value>" + kTopic + "</value></entry>"
         "<entry><key>Policy</key><value>" + policy + "</value></entry>"
         "<entry><key>DisplayName</key><value>Alerts</value></entry>"
         "</Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>";
}
const char* kTags =
    "<ListTagsForResourceResponse><ListTagsForResourceResult><Tags><member><Key>team</Key><Value>ops</Value></member>"
    "<member><Key>infra:address</Key><Value>aws_sns_topic.alerts</Value></member></Tags></ListTagsForResourceResult>"
    "</ListTagsForResourceResponse>";

std::string Subscriptions(const std::string& arn, const std::string& protocol, const std::string& endpoint) {
  return "<ListSubscriptionsByTopicResponse><ListSubscriptionsByTopicResult><Subscriptions><member>"
         "<SubscriptionArn>" + arn + "</SubscriptionArn><Owner>123456789012</Owner><Protocol>" + protocol +
         "</Protocol><Endpoint>" + endpoint + "</Endpoint><TopicArn>" + kTopic +
         "</TopicArn></member></Subscriptions></ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>";
}

class SnsTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(SnsTypesTest, TopicCreateSendsAttributeEntriesAndTagsThenReadsTheMap) {
  client_->Reply("CreateTopic", "<CreateTopicResponse><CreateTopicResult><TopicArn>" + kTopic +
                                    "</TopicArn></CreateTopicResult></CreateTopicResponse>");
  const std::string policy = R"({"Version":"2012-10-17","Statement":[]})";
  client_->Reply("GetTopicAttributes", TopicAttributes(policy));
  client_->Reply("ListTagsForResource", kTags);
  auto r = T("aws_sns_topic").Create(Ctx("aws_sns_topic.alerts"),
                                     {{"name", "alerts"}, {"display_name", "Alerts"}, {"fifo_topic", false},
                                      {"policy", {{"Statement", nlohmann::json::array()}, {"Version", "2012-10-17"}}},
                                      {"tags", {{"team", "ops"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].Param("Name"), "alerts");
  EXPECT_EQ(calls[0].Param("Attributes.entry.1.key"), "Policy");
  EXPECT_EQ(calls[0].Param("Attributes.entry.1.value"), R"({"Statement":[],"Version":"2012-10-17"})");  // a map: its JSON
  EXPECT_EQ(calls[0].Param("Attributes.entry.2.key"), "DisplayName");
  EXPECT_EQ(calls[0].Param("Attributes.entry.3.key"), "");  // fifo_topic false is not sent
  EXPECT_EQ(calls[0].Param("Tags.member.1.Key"), "infra:address");
  EXPECT_EQ(calls[0].Param("Tags.member.3.Key"), "team");
  EXPECT_EQ(calls[1].Param("TopicArn"), kTopic);
  EXPECT_EQ(calls[2].Param("ResourceArn"), kTopic);
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], kTopic);
  EXPECT_EQ(a["arn"], kTopic);
  EXPECT_EQ(a["name"], "alerts");
  EXPECT_EQ(a["policy"], policy);
  EXPECT_EQ(a["display_name"], "Alerts");
  EXPECT_EQ(a["fifo_topic"], false);
  EXPECT_TRUE(a["kms_master_key_id"].is_null());
  EXPECT_EQ(a["tags"], nlohmann::json({{"team", "ops"}}));
}

TEST_F(SnsTypesTest, TopicUpdateSetsOnlyTheChangedAttributesAndTagsByResourceArn) {
  client_->Reply("SetTopicAttributes", "<SetTopicAttributesResponse/>");
  client_->Reply("UntagResource", "<UntagResourceResponse/>");
  client_->Reply("GetTopicAttributes", TopicAttributes("{}"));
  client_->Reply("ListTagsForResource", kTags);
  nlohmann::json prior = {{"id", kTopic}, {"arn", kTopic}, {"name", "alerts"}, {"display_name", "Old"},
                          {"kms_master_key_id", "alias/k"}, {"tags", {{"team", "ops"}, {"gone", "x"}}}};
  nlohmann::json desired = {{"name", "alerts"}, {"display_name", "Alerts"}, {"kms_master_key_id", "alias/k"},
                            {"tags", {{"team", "ops"}}}};
  auto r = T("aws_sns_topic").Update(Ctx("aws_sns_topic.alerts"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[0].action, "SetTopicAttributes");
  EXPECT_EQ(calls[0].Param("AttributeName"), "DisplayName");
  EXPECT_EQ(calls[0].Param("AttributeValue"), "Alerts");
  EXPECT_EQ(calls[1].action, "UntagResource");
  EXPECT_EQ(calls[1].Param("ResourceArn"), kTopic);
  EXPECT_EQ(calls[1].Param("TagKeys.member.1"), "gone");
}

TEST_F(SnsTypesTest, APendingEmailSubscriptionIsFoundByEndpointIsNoDriftAndIsForgottenOnDelete) {
  client_->Reply("Subscribe", "<SubscribeResponse><SubscribeResult><SubscriptionArn>pending confirmation"
                              "</SubscriptionArn></SubscribeResult></SubscribeResponse>");
  client_->Reply("ListSubscriptionsByTopic", Subscriptions("PendingConfirmation", "email", "ops@example.com"));
  nlohmann::json desired = {{"topic_arn", kTopic}, {"protocol", "email"}, {"endpoint", "ops@example.com"}};
  auto& t = T("aws_sns_topic_subscription");
  auto r = t.Create(Ctx("aws_sns_topic_subscription.ops"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const std::string id = kTopic + "|email|ops@example.com";
  EXPECT_EQ(r->attributes["id"], id);
  EXPECT_EQ(r->attributes["pending_confirmation"], true);
  EXPECT_TRUE(r->attributes["arn"].is_null());
  EXPECT_FALSE(r->pending);

  client_->Reply("ListSubscriptionsByTopic", Subscriptions("PendingConfirmation", "email", "ops@example.com"));
  auto read = t.Read("eu-west-1", {id});
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_EQ(read->count(id), 1u);  // still there: no drift
  for (const char* attr : {"topic_arn", "protocol", "endpoint"}) EXPECT_EQ((*read)[id][attr], desired[attr]) << attr;

  client_->Reply("ListSubscriptionsByTopic", Subscriptions("PendingConfirmation", "email", "ops@example.com"));
  auto del = t.Delete(Ctx("aws_sns_topic_subscription.ops"), (*read)[id]);
  ASSERT_TRUE(del.ok()) << del.error().ToString();
  for (const auto& c : client_->calls()) EXPECT_NE(c.action, "Unsubscribe");
}

TEST_F(SnsTypesTest, AConfirmedSubscriptionIsReadAndUnsubscribedByArn) {
  const std::string arn = kTopic + ":0b1c";
  client_->Reply("ListSubscriptionsByTopic", Subscriptions(arn, "sqs", "arn:aws:sqs:eu-west-1:123456789012:q"));
  auto& t = T("aws_sns_topic_subscription");
  auto read = t.Read("eu-west-1", {arn, kTopic + ":gone"});
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[arn]["arn"], arn);
  EXPECT_EQ((*read)[arn]["pending_confirmation"], false);
  EXPECT_EQ(client_->calls().size(), 1u);  // one list for both ids of the topic
  client_->Reply("Unsubscribe", "<UnsubscribeResponse/>");
  ASSERT_TRUE(t.Delete(Ctx("aws_sns_topic_subscription.q"), (*read)[arn]).ok());
  EXPECT_EQ(client_->calls().back().action, "Unsubscribe");
  EXPECT_EQ(client_->calls().back().Param("SubscriptionArn"), arn);
}

}  // namespace
}  // namespace infra::aws
