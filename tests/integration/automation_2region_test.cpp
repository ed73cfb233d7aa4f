// stacks/examples/automation-2region end to end against moto_server,
// checked with boto3: apply; in each region two functions, the 5-minute
// schedule targeting the health monitor, the alert topic with its e-mail
// subscription and six alarms wired to it; in the DR region the schedule
// DISABLED and both functions' reserved concurrency 0; re-plan empty (the
// e-mail subscription is no drift); dr_active=true is in-place updates only
// and switches the DR region on; one changed line of the health monitor's
// source gives a new hash and a code update in both regions; destroy
// leaves nothing. The example is copied, so its sources can be edited.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

namespace fs = std::filesystem;

class Automation2RegionTest : public StackDirTest {
 protected:
  void SetUp() override {
    StackDirTest::SetUp();
    fs::path src = fs::path(SourceDir()) / "stacks/examples/automation-2region";
    for (const char* f : {"stack.yaml", "region.yaml"}) fs::copy_file(src / f, dir_ / f);
    fs::copy(src / "src", dir_ / "src", fs::copy_options::recursive);
  }

  // What each region holds, as boto3 sees it.
  nlohmann::json Seen() {
    auto r = Boto3(R"PY(
out = {}
for region in ["eu-central-1", "eu-west-1"]:
    kw = dict(endpoint_url=ENDPOINT, region_name=region)
    lam, ev, sns, cw = (boto3.client(s, **kw) for s in ("lambda", "events", "sns", "cloudwatch"))
    fns = {}
    for f in lam.list_functions()["Functions"]:
        c = lam.get_function_concurrency(FunctionName=f["FunctionName"]).get("ReservedConcurrentExecutions")
        fns[f["FunctionName"]] = {"sha": f["CodeSha256"], "concurrency": c}
    rules = {}
    for rule in ev.list_rules()["Rules"]:
        targets = [t["Arn"].split(":")[-1] for t in ev.list_targets_by_rule(Rule=rule["Name"])["Targets"]]
        rules[rule["Name"]] = {"state": rule["State"], "schedule": rule.get("ScheduleExpression"), "targets": targets}
    topics = {}
    for t in sns.list_topics()["Topics"]:
        subs = [s["Protocol"] + ":" + s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=t["TopicArn"])["Subscriptions"]]
        topics[t["TopicArn"]] = subs
    alarms = {a["AlarmName"]: {"threshold": a["Threshold"], "actions": a["AlarmActions"]}
              for a in cw.describe_alarms()["MetricAlarms"]}
    out[region] = {"functions": fns, "rules": rules, "topics": topics, "alarms": alarms}
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1")
out["roles"] = sorted(r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("automation-"))
print(json.dumps(out))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(Automation2RegionTest, ApplyDrSwitchCodeChangeAndDestroy) {
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Seen();
  EXPECT_EQ(s["roles"], nlohmann::json({"automation-dr", "automation-primary"}));
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    SCOPED_TRACE(region);
    const auto& r = s[region];
    ASSERT_TRUE(r["functions"].contains("health-monitor")) << r.dump(2);
    ASSERT_TRUE(r["functions"].contains("dr-automation")) << r.dump(2);
    EXPECT_EQ(r["rules"]["health-monitor"]["schedule"], "rate(5 minutes)");
    EXPECT_EQ(r["rules"]["health-monitor"]["targets"], nlohmann::json({"health-monitor"}));
    const std::string topic = std::string("arn:aws:sns:") + region + ":123456789012:alerts";
    EXPECT_EQ(r["topics"][topic], nlohmann::json({"email:ops@example.com"}));
    EXPECT_EQ(r["alarms"].size(), 6u) << r["alarms"].dump(2);
    for (const auto& [name, alarm] : r["alarms"].items()) EXPECT_EQ(alarm["actions"], nlohmann::json({topic})) << name;
    EXPECT_EQ(r["alarms"]["ecs-cpu-high"]["threshold"], 70.0);
    EXPECT_EQ(r["alarms"]["rds-replication-lag"]["threshold"], 30000.0);
  }
  // Pilot light: the DR region's schedule off and its functions unable to run.
  EXPECT_EQ(s["eu-central-1"]["rules"]["health-monitor"]["state"], "ENABLED");
  EXPECT_TRUE(s["eu-central-1"]["functions"]["health-monitor"]["concurrency"].is_null());
  EXPECT_EQ(s["eu-west-1"]["rules"]["health-monitor"]["state"], "DISABLED");
  EXPECT_EQ(s["eu-west-1"]["functions"]["health-monitor"]["concurrency"], 0);
  EXPECT_EQ(s["eu-west-1"]["functions"]["dr-automation"]["concurrency"], 0);

  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << "plan after apply is not empty:\n" << plan.out << plan.err;

  // Failover: in-place updates only, and the DR region runs.
  plan = Infra("plan --detailed-exitcode -var dr_active=true");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("module.dr.aws_cloudwatch_event_rule.schedule will be updated in-place"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("module.dr.aws_lambda_function.health will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("replaced"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("destroyed"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("module.primary."), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve -var dr_active=true");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_EQ(s["eu-west-1"]["rules"]["health-monitor"]["state"], "ENABLED");
  EXPECT_TRUE(s["eu-west-1"]["functions"]["health-monitor"]["concurrency"].is_null());
  EXPECT_TRUE(s["eu-west-1"]["functions"]["dr-automation"]["concurrency"].is_null());
  EXPECT_EQ(Infra("plan --detailed-exitcode -var dr_active=true").exit_code, 0);

  // One changed line of source: a new hash, the code updated in place.
  const std::string before = s["eu-central-1"]["functions"]["health-monitor"]["sha"];
  std::string code = Bytes(Path("src/health/index.py"));
  code.replace(code.find("timeout=5"), 9, "timeout=10");
  WriteFile("src/health/index.py", code);
  plan = Infra("plan --detailed-exitcode -var dr_active=true");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("module.primary.aws_lambda_function.health will be updated in-place"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("source_code_hash"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("aws_lambda_function.dr "), std::string::npos) << plan.out;  // its sources did not change
  EXPECT_EQ(plan.out.find("replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve -var dr_active=true");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_NE(s["eu-central-1"]["functions"]["health-monitor"]["sha"], before);
  EXPECT_EQ(s["eu-west-1"]["functions"]["health-monitor"]["sha"], s["eu-central-1"]["functions"]["health-monitor"]["sha"]);
  EXPECT_EQ(Infra("plan --detailed-exitcode -var dr_active=true").exit_code, 0);

  auto destroy = Infra("destroy --auto-approve -var dr_active=true");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Seen();
  EXPECT_EQ(s["roles"], nlohmann::json::array());
  for (const char* region : {"eu-central-1", "eu-west-1"})
    EXPECT_EQ(s[region], nlohmann::json({{"functions", nlohmann::json::object()}, {"rules", nlohmann::json::object()},
                                         {"topics", nlohmann::json::object()}, {"alarms", nlohmann::json::object()}}))
        << region;
}

}  // namespace
}  // namespace infra::test
