// EventBridge and Lambda permissions end to end through the `infra` binary
// against moto_server, checked with boto3: a 5-minute schedule and an event
// pattern (written as a YAML map, compared as a document) targeting a
// function EventBridge may invoke; create -> read back -> no-op plan ->
// DISABLED and a new target input in place -> a new statement id and target
// id replace -> destroy leaves nothing; import of a rule made outside.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: events-test
regions:
  primary: eu-west-1
variables:
  state: {type: string, default: ENABLED}
  input: {type: string, default: '{"probe": "http"}'}
  sid: {type: string, default: events}
  target_id: {type: string, default: health}
data:
  code:
    type: archive_file
    source: [{filename: index.py, content: "def handler(event, context):\n    return 1\n"}]
    output_path: ${path.module}/build/fn.zip
resources:
  role:
    type: aws_iam_role
    name: events-fn-role
    assume_role_policy:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]
  fn:
    type: aws_lambda_function
    function_name: health
    role: ${role.arn}
    runtime: python3.12
    handler: index.handler
    filename: ${data.code.output_path}
    source_code_hash: ${data.code.output_base64sha256}
  schedule:
    type: aws_cloudwatch_event_rule
    name: health-every-5
    schedule_expression: rate(5 minutes)
    state: ${var.state}
    description: probe
    tags: {team: ops}
  pattern:
    type: aws_cloudwatch_event_rule
    name: health-ecs
    event_pattern:
      source: [aws.ecs]
      detail-type: [ECS Task State Change]
  target:
    type: aws_cloudwatch_event_target
    rule: ${schedule.name}
    target_id: ${var.target_id}
    arn: ${fn.arn}
    input: ${var.input}
  allow:
    type: aws_lambda_permission
    function_name: ${fn.function_name}
    statement_id: ${var.sid}
    action: lambda:InvokeFunction
    principal: events.amazonaws.com
    source_arn: ${schedule.arn}
)";

class EventsStackTest : public StackDirTest {
 protected:
  // Rules with their state, pattern, tags and targets; the function's policy.
  nlohmann::json Snapshot() {
    auto r = Boto3(R"(
ev = boto3.client("events", endpoint_url=ENDPOINT, region_name="eu-west-1")
lam = boto3.client("lambda", endpoint_url=ENDPOINT, region_name="eu-west-1")
rules = {}
for rule in ev.list_rules()["Rules"]:
    rules[rule["Name"]] = {"state": rule["State"], "pattern": rule.get("EventPattern"),
                           "schedule": rule.get("ScheduleExpression"),
                           "tags": {t["Key"]: t["Value"] for t in ev.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]},
                           "targets": {t["Id"]: {"arn": t["Arn"], "input": t.get("Input")}
                                       for t in ev.list_targets_by_rule(Rule=rule["Name"])["Targets"]}}
sids = []
if lam.list_functions()["Functions"]:
    try:
        sids = [s["Sid"] for s in json.loads(lam.get_policy(FunctionName="health")["Policy"])["Statement"]]
    except lam.exceptions.ResourceNotFoundException:
        pass
print(json.dumps({"rules": rules, "sids": sids, "functions": len(lam.list_functions()["Functions"])}))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(EventsStackTest, LifecycleScheduleTargetPermissionDisableReplaceDestroy) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Snapshot();
  ASSERT_TRUE(s["rules"].contains("health-every-5")) << s.dump(2);
  auto rule = s["rules"]["health-every-5"];
  EXPECT_EQ(rule["state"], "ENABLED");
  EXPECT_EQ(rule["schedule"], "rate(5 minutes)");
  EXPECT_EQ(rule["tags"]["team"], "ops");
  EXPECT_EQ(rule["tags"]["infra:address"], "aws_cloudwatch_event_rule.schedule");
  ASSERT_TRUE(rule["targets"].contains("health")) << rule.dump();
  EXPECT_EQ(nlohmann::json::parse(rule["targets"]["health"]["input"].get<std::string>()), nlohmann::json({{"probe", "http"}}));
  EXPECT_EQ(nlohmann::json::parse(s["rules"]["health-ecs"]["pattern"].get<std::string>())["source"],
            nlohmann::json({"aws.ecs"}));
  EXPECT_EQ(s["sids"], nlohmann::json({"events"}));

  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var state=DISABLED -var 'input={\"probe\": \"tcp\"}'";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_cloudwatch_event_rule.schedule will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_cloudwatch_event_target.target will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("0 to add, 2 to change, 0 to destroy"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  EXPECT_EQ(s["rules"]["health-every-5"]["state"], "DISABLED");
  EXPECT_EQ(s["rules"]["health-every-5"]["schedule"], "rate(5 minutes)");  // PutRule kept the rest
  EXPECT_NE(s["rules"]["health-every-5"]["targets"]["health"]["input"].get<std::string>().find("tcp"), std::string::npos);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  vars += " -var sid=events2 -var target_id=health2";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_lambda_permission.allow must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_cloudwatch_event_target.target must be replaced"), std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve " + vars).exit_code, 0);
  s = Snapshot();
  EXPECT_EQ(s["sids"], nlohmann::json({"events2"}));
  EXPECT_EQ(s["rules"]["health-every-5"]["targets"].size(), 1u);
  EXPECT_TRUE(s["rules"]["health-every-5"]["targets"].contains("health2"));
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Snapshot();
  EXPECT_EQ(s["rules"], nlohmann::json::object());
  EXPECT_EQ(s["functions"], 0);
}

TEST_F(EventsStackTest, ARuleMadeOutsideIsImportedWithoutReplacement) {
  auto made = Boto3(R"(
ev = boto3.client("events", endpoint_url=ENDPOINT, region_name="eu-west-1")
ev.put_rule(Name="health-ecs", EventPattern=json.dumps({"detail-type": ["ECS Task State Change"], "source": ["aws.ecs"]}))
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(R"(stack: events-import
regions:
  primary: eu-west-1
resources:
  pattern:
    type: aws_cloudwatch_event_rule
    name: health-ecs
    event_pattern: {source: aws.ecs, detail-type: [ECS Task State Change]}
)");
  auto import = Infra("import aws_cloudwatch_event_rule.pattern health-ecs");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;  // the document matches; no drift
  ASSERT_EQ(Infra("destroy --auto-approve").exit_code, 0);
  EXPECT_EQ(Snapshot()["rules"], nlohmann::json::object());
}

}  // namespace
}  // namespace infra::test
