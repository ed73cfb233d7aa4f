// aws_sns_topic, aws_sns_topic_subscription and aws_sqs_queue end to end
// through the `infra` binary against moto_server, checked with boto3: a
// dead-letter queue and a work queue redriving to it, a topic with an SQS
// and an e-mail subscription; create -> read back -> no-op plan -> in-place
// update (topic display name and tags, queue timeout and tags) ->
// replacement (topic name: its subscriptions follow; queue name) -> destroy
// -> gone; import of a topic, a queue and a subscription made outside infra.
// The e-mail subscription is first made through a fault proxy that answers
// as AWS does for an unconfirmed endpoint (moto confirms at once): Subscribe
// says "pending confirmation" and the topic lists it as PendingConfirmation;
// the apply succeeds and the plan is empty (pending is no drift, no error);
// once confirmed (made in moto by boto3) it is the same subscription, no
// drift, and the replacement and destroy unsubscribe it.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"
#include "support/fault_proxy.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: messaging-test
regions:
  primary: eu-west-1
variables:
  topic: {type: string, default: alerts}
  display: {type: string, default: Alerts}
  team: {type: string, default: ops}
  queue: {type: string, default: jobs}
  visibility: {type: number, default: 30}
resources:
  dlq:
    type: aws_sqs_queue
    name: ${var.queue}-dlq
    message_retention_seconds: 1209600
  jobs:
    type: aws_sqs_queue
    name: ${var.queue}
    visibility_timeout_seconds: ${var.visibility}
    redrive_policy: {deadLetterTargetArn: "${dlq.arn}", maxReceiveCount: 3}
    tags: {team: "${var.team}"}
  alerts:
    type: aws_sns_topic
    name: ${var.topic}
    display_name: ${var.display}
    tags: {team: "${var.team}"}
  to_jobs:
    type: aws_sns_topic_subscription
    topic_arn: ${alerts.arn}
    protocol: sqs
    endpoint: ${jobs.arn}
  to_ops:
    type: aws_sns_topic_subscription
    topic_arn: ${alerts.arn}
    protocol: email
    endpoint: ops@example.com
)";

class MessagingStackTest : public StackDirTest {
 protected:
  // Topics (display name, tags, subscriptions) and queues (attributes,
  // tags), as boto3 sees them.
  nlohmann::json Seen() {
    auto r = Boto3(R"(
sns = boto3.client("sns", endpoint_url=ENDPOINT, region_name="eu-west-1")
sqs = boto3.client("sqs", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {"topics": {}, "queues": {}}
for t in sns.list_topics()["Topics"]:
    arn = t["TopicArn"]
    a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    tags = {x["Key"]: x["Value"] for x in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]}
    subs = sorted(s["Protocol"] + ":" + s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"])
    out["topics"][arn.split(":")[-1]] = {"display": a.get("DisplayName"), "tags": tags, "subs": subs}
for url in sqs.list_queues().get("QueueUrls", []):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    tags = sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
    out["queues"][url.split("/")[-1]] = {"visibility": a["VisibilityTimeout"], "retention": a["MessageRetentionPeriod"],
                                         "redrive": json.loads(a.get("RedrivePolicy", "null")), "tags": tags, "arn": a["QueueArn"]}
print(json.dumps(out))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
  CommandResult InfraVia(FaultProxy& proxy, const std::string& args) {
    return RunCommand("AWS_ENDPOINT_URL=" + ShellQuote(proxy.endpoint()) + " " + ShellQuote(InfraBinary()) + " -C " +
                      ShellQuote(dir_.string()) + " " + args + " </dev/null");
  }
  // The e-mail subscription as AWS has it before the recipient confirms:
  // Subscribe answers "pending confirmation", the topic lists it as
  // PendingConfirmation next to the SQS one (which moto made).
  void ApplyEmailPending() {
    auto first = Infra("apply --auto-approve --target aws_sns_topic_subscription.to_jobs");
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    auto sub = Boto3(R"(
sns = boto3.client("sns", endpoint_url=ENDPOINT, region_name="eu-west-1")
print(json.dumps(sns.list_subscriptions()["Subscriptions"]))
)");
    ASSERT_EQ(sub.exit_code, 0) << sub.err;
    ASSERT_EQ(sub.json.size(), 1u) << sub.out;
    const auto& sqs = sub.json[0];
    auto member = [&](const std::string& protocol, const std::string& arn, const std::string& endpoint) {
      return "<member><TopicArn>" + sqs["TopicArn"].get<std::string>() + "</TopicArn><Protocol>" + protocol +
             "</Protocol><SubscriptionArn>" + arn + "</SubscriptionArn><Owner>123456789012</Owner><Endpoint>" +
             endpoint + "</Endpoint></member>";
    };
    const std::string xmlns = " xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"";
    Fault subscribe;
    subscribe.body = "<SubscribeResponse" + xmlns + "><SubscribeResult><SubscriptionArn>pending confirmation"
                     "</SubscriptionArn></SubscribeResult></SubscribeResponse>";
    subscribe.match = "Protocol=email";
    Fault listed;  // kRespond: answered, never forwarded
    listed.body = "<ListSubscriptionsByTopicResponse" + xmlns + "><ListSubscriptionsByTopicResult><Subscriptions>" +
                  member("sqs", sqs["SubscriptionArn"], sqs["Endpoint"]) +
                  member("email", "PendingConfirmation", "ops@example.com") +
                  "</Subscriptions></ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>";
    proxy_.Script({subscribe});
    proxy_.SetEveryNth(1, listed, "Action=ListSubscriptionsByTopic");
    auto apply = InfraVia(proxy_, "apply --auto-approve");
    ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
    EXPECT_EQ(proxy_.pending(), 0u) << "Subscribe was answered pending";
    auto plan = InfraVia(proxy_, "plan --detailed-exitcode");
    EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;  // pending: no drift, no error
    EXPECT_GT(proxy_.every_nth_answered(), 0);
    proxy_.SetEveryNth(0, Fault{});
  }
  FaultProxy proxy_{moto_.port()};
};

TEST_F(MessagingStackTest, LifecycleCreateNoOpUpdateReplaceDestroy) {
  WriteStack(kStack);
  ApplyEmailPending();
  if (HasFatalFailure()) return;
  auto pending = Seen();
  EXPECT_EQ(pending["topics"]["alerts"]["subs"].size(), 1u) << pending.dump(2);  // moto never saw the e-mail one
  // The recipient confirms: the subscription now exists with an ARN; the
  // pending one in state is found as it, no drift.
  auto confirmed = Boto3(R"(
sns = boto3.client("sns", endpoint_url=ENDPOINT, region_name="eu-west-1")
arn = [t["TopicArn"] for t in sns.list_topics()["Topics"]][0]
print(json.dumps(sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@example.com")["SubscriptionArn"]))
)");
  ASSERT_EQ(confirmed.exit_code, 0) << confirmed.err;
  auto replan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(replan.exit_code, 0) << replan.out << replan.err;
  CommandResult apply;
  auto s = Seen();
  ASSERT_TRUE(s["topics"].contains("alerts")) << s.dump(2);
  EXPECT_EQ(s["topics"]["alerts"]["display"], "Alerts");
  EXPECT_EQ(s["topics"]["alerts"]["tags"]["team"], "ops");
  EXPECT_EQ(s["topics"]["alerts"]["tags"]["infra:address"], "aws_sns_topic.alerts");
  const std::string jobs_arn = s["queues"]["jobs"]["arn"];
  EXPECT_EQ(s["topics"]["alerts"]["subs"],
            nlohmann::json({"email:ops@example.com", "sqs:" + jobs_arn}));
  EXPECT_EQ(s["queues"]["jobs"]["visibility"], "30");
  EXPECT_EQ(s["queues"]["jobs"]["redrive"]["deadLetterTargetArn"], s["queues"]["jobs-dlq"]["arn"]);
  EXPECT_EQ(s["queues"]["jobs"]["tags"]["team"], "ops");
  EXPECT_EQ(s["queues"]["jobs-dlq"]["retention"], "1209600");

  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var display=Paging -var team=sre -var visibility=60";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_sns_topic.alerts will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_sqs_queue.jobs will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_EQ(s["topics"]["alerts"]["display"], "Paging");
  EXPECT_EQ(s["topics"]["alerts"]["tags"]["team"], "sre");
  EXPECT_EQ(s["queues"]["jobs"]["visibility"], "60");
  EXPECT_EQ(s["queues"]["jobs"]["tags"]["team"], "sre");
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  vars += " -var topic=paging -var queue=work";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_sns_topic.alerts must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_sns_topic_subscription.to_ops must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_sqs_queue.jobs must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_FALSE(s["topics"].contains("alerts")) << s.dump(2);
  ASSERT_TRUE(s["topics"].contains("paging")) << s.dump(2);
  EXPECT_EQ(s["topics"]["paging"]["subs"].size(), 2u);
  EXPECT_FALSE(s["queues"].contains("jobs")) << s.dump(2);
  EXPECT_TRUE(s["queues"].contains("work-dlq")) << s.dump(2);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Seen(), nlohmann::json({{"topics", nlohmann::json::object()}, {"queues", nlohmann::json::object()}}));
}

const char* kImportStack = R"(stack: messaging-import
regions:
  primary: eu-west-1
resources:
  topic:
    type: aws_sns_topic
    name: made-outside
    tags: {team: app}
  queue:
    type: aws_sqs_queue
    name: made-outside
    visibility_timeout_seconds: 45
    tags: {team: app}
  sub:
    type: aws_sns_topic_subscription
    topic_arn: ${topic.arn}
    protocol: sqs
    endpoint: ${queue.arn}
)";

TEST_F(MessagingStackTest, ImportedTopicQueueAndSubscriptionPlanNoChanges) {
  auto made = Boto3(R"(
sns = boto3.client("sns", endpoint_url=ENDPOINT, region_name="eu-west-1")
sqs = boto3.client("sqs", endpoint_url=ENDPOINT, region_name="eu-west-1")
arn = sns.create_topic(Name="made-outside", Tags=[{"Key": "team", "Value": "app"}])["TopicArn"]
url = sqs.create_queue(QueueName="made-outside", Attributes={"VisibilityTimeout": "45"}, tags={"team": "app"})["QueueUrl"]
q = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q, ReturnSubscriptionArn=True)["SubscriptionArn"]
print(json.dumps({"arn": arn, "url": url, "sub": sub}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(kImportStack);
  auto import = Infra("import aws_sns_topic.topic " + made.json["arn"].get<std::string>());
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  import = Infra("import aws_sqs_queue.queue " + made.json["url"].get<std::string>());
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  import = Infra("import aws_sns_topic_subscription.sub " + made.json["sub"].get<std::string>());
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  auto s = Seen();  // imported objects are tagged like created ones
  EXPECT_EQ(s["topics"]["made-outside"]["tags"]["infra:address"], "aws_sns_topic.topic");
  EXPECT_EQ(s["topics"]["made-outside"]["tags"]["team"], "app");
  EXPECT_EQ(s["queues"]["made-outside"]["tags"]["infra:address"], "aws_sqs_queue.queue");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(Infra("destroy --auto-approve").exit_code, 0);
  EXPECT_EQ(Seen(), nlohmann::json({{"topics", nlohmann::json::object()}, {"queues", nlohmann::json::object()}}));
}

}  // namespace
}  // namespace infra::test
