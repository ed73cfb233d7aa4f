// The SQS family over a scripted client: CreateQueue's attribute map of
// strings and tag map, the FIFO name suffix for a name_prefix, the read by
// GetQueueAttributes (All) with numbers read back as numbers, and
// SetQueueAttributes / TagQueue on update, by the queue URL.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

const std::string kUrl = "http://sqs.eu-west-1.localhost:4566/123456789012/jobs-dlq";

json Attributes(const std::string& visibility = "60") {
  return {{"Attributes", {{"QueueArn", "arn:aws:sqs:eu-west-1:123456789012:jobs-dlq"}, {"VisibilityTimeout", visibility},
                          {"MessageRetentionPeriod", "1209600"}, {"DelaySeconds", "0"}, {"MaximumMessageSize", "262144"},
                          {"ReceiveMessageWaitTimeSeconds", "0"}}}};
}

class SqsTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_sqs_queue"); }
  provider::OperationContext Ctx() { return {"s", "aws_sqs_queue.dlq", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
  json desired_ = {{"name", "jobs-dlq"}, {"visibility_timeout_seconds", 60}, {"message_retention_seconds", 1209600},
                   {"delay_seconds", 0}, {"max_message_size", 262144}, {"receive_wait_time_seconds", 0},
                   {"fifo_queue", false}, {"content_based_deduplication", false}, {"tags", {{"team", "jobs"}}}};
};

TEST_F(SqsTypesTest, CreateSendsTextAttributesAndTagsAndReadsNumbers) {
  client_->ReplyJson("CreateQueue", {{"QueueUrl", kUrl}});
  client_->ReplyJson("GetQueueAttributes", Attributes());
  client_->ReplyJson("ListQueueTags", {{"Tags", {{"team", "jobs"}, {"infra:stack", "s"}}}});
  auto r = T().Create(Ctx(), desired_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].service, "sqs");
  EXPECT_EQ(calls[0].body["QueueName"], "jobs-dlq");
  EXPECT_EQ(calls[0].body["Attributes"]["VisibilityTimeout"], "60");
  EXPECT_EQ(calls[0].body["Attributes"]["MessageRetentionPeriod"], "1209600");
  EXPECT_FALSE(calls[0].body["Attributes"].contains("FifoQueue"));  // refused on a standard queue
  EXPECT_EQ(calls[0].body["tags"]["team"], "jobs");
  EXPECT_EQ(calls[0].body["tags"]["infra:address"], "aws_sqs_queue.dlq");
  EXPECT_EQ(calls[1].body, json({{"QueueUrl", kUrl}, {"AttributeNames", {"All"}}}));
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], kUrl);
  EXPECT_EQ(a["url"], kUrl);
  EXPECT_EQ(a["name"], "jobs-dlq");
  EXPECT_EQ(a["arn"], "arn:aws:sqs:eu-west-1:123456789012:jobs-dlq");
  EXPECT_EQ(a["visibility_timeout_seconds"], 60);
  EXPECT_EQ(a["fifo_queue"], false);
  EXPECT_FALSE(a.contains("redrive_policy")) << a.dump();
  EXPECT_EQ(a["tags"], json({{"team", "jobs"}}));
}

TEST_F(SqsTypesTest, AFifoPrefixGetsTheFifoSuffix) {
  client_->ReplyJson("CreateQueue", {{"QueueUrl", kUrl}});
  client_->ReplyJson("GetQueueAttributes", Attributes());
  client_->ReplyJson("ListQueueTags", json::object());
  json fifo = desired_;
  fifo.erase("name");
  fifo["name_prefix"] = "jobs-";
  fifo["fifo_queue"] = true;
  ASSERT_TRUE(T().Create(Ctx(), fifo).ok());
  std::string name = client_->calls()[0].body["QueueName"];
  EXPECT_EQ(name.rfind("jobs-", 0), 0u) << name;
  EXPECT_EQ(name.substr(name.size() - 5), ".fifo") << name;
  EXPECT_EQ(client_->calls()[0].body["Attributes"]["FifoQueue"], "true");
}

TEST_F(SqsTypesTest, UpdateSetsAttributesAsTextAndTagsByUrl) {
  client_->ReplyJson("SetQueueAttributes", json::object());
  client_->ReplyJson("TagQueue", json::object());
  client_->ReplyJson("GetQueueAttributes", Attributes("90"));
  client_->ReplyJson("ListQueueTags", {{"Tags", {{"team", "ops"}}}});
  json prior = desired_;
  prior["id"] = kUrl;
  prior["url"] = kUrl;
  json desired = desired_;
  desired["visibility_timeout_seconds"] = 90;
  desired["redrive_policy"] = {{"deadLetterTargetArn", "arn:aws:sqs:eu-west-1:123456789012:x"}, {"maxReceiveCount", 3}};
  desired["tags"] = {{"team", "ops"}};
  ASSERT_TRUE(T().Update(Ctx(), prior, desired).ok());
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].action, "SetQueueAttributes");
  EXPECT_EQ(calls[0].body["QueueUrl"], kUrl);
  EXPECT_EQ(calls[0].body["Attributes"]["VisibilityTimeout"], "90");
  EXPECT_TRUE(calls[0].body["Attributes"]["RedrivePolicy"].is_string());
  EXPECT_FALSE(calls[0].body["Attributes"].contains("ContentBasedDeduplication"));
  EXPECT_EQ(calls[1].action, "TagQueue");
  EXPECT_EQ(calls[1].body["QueueUrl"], kUrl);
  EXPECT_EQ(calls[1].body["Tags"], json({{"team", "ops"}}));
}

}  // namespace
}  // namespace infra::aws
