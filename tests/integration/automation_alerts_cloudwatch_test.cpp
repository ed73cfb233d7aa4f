// aws_cloudwatch_metric_alarm and aws_cloudwatch_dashboard end to end
// through the `infra` binary against moto_server, checked with boto3: an
// alarm on one metric with dimensions and action sets, one on metric math,
// a dashboard; create -> read back -> no-op plan (a threshold of 70 that
// CloudWatch reports as 70.0, a body in another key order) -> in-place
// update (threshold, actions, tags, body) -> replacement (alarm name) ->
// destroy -> gone; import of an alarm and a dashboard made outside infra.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: alarms-test
regions:
  primary: eu-west-1
variables:
  name: {type: string, default: ecs-cpu}
  threshold: {type: number, default: 70}
  team: {type: string, default: ops}
  title: {type: string, default: CPU}
resources:
  alerts:
    type: aws_sns_topic
    name: alerts
  cpu:
    type: aws_cloudwatch_metric_alarm
    alarm_name: ${var.name}
    alarm_description: ECS CPU above ${var.threshold} %
    namespace: AWS/ECS
    metric_name: CPUUtilization
    statistic: Average
    period: 300
    evaluation_periods: 2
    datapoints_to_alarm: 2
    threshold: ${var.threshold}
    comparison_operator: GreaterThanThreshold
    dimensions: {ClusterName: app, ServiceName: web}
    alarm_actions: ["${alerts.arn}"]
    ok_actions: ["${alerts.arn}"]
    treat_missing_data: notBreaching
    tags: {team: "${var.team}"}
  errors:
    type: aws_cloudwatch_metric_alarm
    alarm_name: alb-5xx-rate
    evaluation_periods: 1
    threshold: 10
    comparison_operator: GreaterThanThreshold
    alarm_actions: ["${alerts.arn}"]
    metric_query:
      - {id: e1, expression: "m1", label: 5xx per minute, return_data: true}
      - id: m1
        metric: {metric_name: HTTPCode_ELB_5XX_Count, namespace: AWS/ApplicationELB, period: 60, stat: Sum,
                 dimensions: {LoadBalancer: app/web/0123}}
  board:
    type: aws_cloudwatch_dashboard
    dashboard_name: ops
    dashboard_body:
      widgets:
        - {type: metric, x: 0, "y": 0, width: 12, height: 6,
           properties: {title: "${var.title}", region: eu-west-1, metrics: [[AWS/ECS, CPUUtilization, ClusterName, app]]}}
)";

class AlarmStackTest : public StackDirTest {
 protected:
  nlohmann::json Seen() {
    auto r = Boto3(R"(
cw = boto3.client("cloudwatch", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {"alarms": {}, "dashboards": {}}
for a in cw.describe_alarms()["MetricAlarms"]:
    tags = {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"]}
    out["alarms"][a["AlarmName"]] = {"threshold": a["Threshold"], "actions": a.get("AlarmActions", []),
        "dims": {d["Name"]: d["Value"] for d in a.get("Dimensions", [])}, "metrics": len(a.get("Metrics", [])),
        "missing": a.get("TreatMissingData"), "tags": tags}
for d in cw.list_dashboards()["DashboardEntries"]:
    out["dashboards"][d["DashboardName"]] = json.loads(cw.get_dashboard(DashboardName=d["DashboardName"])["DashboardBody"])
print(json.dumps(out))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(AlarmStackTest, LifecycleCreateNoOpUpdateReplaceDestroy) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Seen();
  ASSERT_TRUE(s["alarms"].contains("ecs-cpu")) << s.dump(2);
  const auto& cpu = s["alarms"]["ecs-cpu"];
  EXPECT_EQ(cpu["threshold"], 70.0);
  EXPECT_EQ(cpu["dims"], nlohmann::json({{"ClusterName", "app"}, {"ServiceName", "web"}}));
  EXPECT_EQ(cpu["actions"], nlohmann::json({"arn:aws:sns:eu-west-1:123456789012:alerts"}));
  EXPECT_EQ(cpu["missing"], "notBreaching");
  EXPECT_EQ(cpu["tags"]["team"], "ops");
  EXPECT_EQ(cpu["tags"]["infra:address"], "aws_cloudwatch_metric_alarm.cpu");
  EXPECT_EQ(s["alarms"]["alb-5xx-rate"]["metrics"], 2);
  EXPECT_EQ(s["dashboards"]["ops"]["widgets"][0]["properties"]["title"], "CPU");

  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var threshold=85 -var team=sre -var title=Load";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_cloudwatch_metric_alarm.cpu will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_cloudwatch_dashboard.board will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_EQ(s["alarms"]["ecs-cpu"]["threshold"], 85.0);
  EXPECT_EQ(s["alarms"]["ecs-cpu"]["tags"]["team"], "sre");
  EXPECT_EQ(s["alarms"]["ecs-cpu"]["dims"].size(), 2u);  // the put re-sent everything
  EXPECT_EQ(s["dashboards"]["ops"]["widgets"][0]["properties"]["title"], "Load");
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  vars += " -var name=ecs-cpu-high";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_cloudwatch_metric_alarm.cpu must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_FALSE(s["alarms"].contains("ecs-cpu")) << s.dump(2);
  EXPECT_TRUE(s["alarms"].contains("ecs-cpu-high")) << s.dump(2);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Seen(), nlohmann::json({{"alarms", nlohmann::json::object()}, {"dashboards", nlohmann::json::object()}}));
}

TEST_F(AlarmStackTest, ImportedAlarmAndDashboardPlanNoChanges) {
  auto made = Boto3(R"(
cw = boto3.client("cloudwatch", endpoint_url=ENDPOINT, region_name="eu-west-1")
cw.put_metric_alarm(AlarmName="rds-cpu", Namespace="AWS/RDS", MetricName="CPUUtilization", Statistic="Average",
                    Period=300, EvaluationPeriods=3, Threshold=80.0, ComparisonOperator="GreaterThanThreshold",
                    Dimensions=[{"Name": "DBClusterIdentifier", "Value": "db"}], Tags=[{"Key": "team", "Value": "db"}])
cw.put_dashboard(DashboardName="db", DashboardBody=json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3, "properties": {"markdown": "db"}}]}))
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(R"(stack: alarms-import
regions:
  primary: eu-west-1
resources:
  rds_cpu:
    type: aws_cloudwatch_metric_alarm
    alarm_name: rds-cpu
    namespace: AWS/RDS
    metric_name: CPUUtilization
    statistic: Average
    period: 300
    evaluation_periods: 3
    threshold: 80
    comparison_operator: GreaterThanThreshold
    dimensions: {DBClusterIdentifier: db}
    tags: {team: db}
  board:
    type: aws_cloudwatch_dashboard
    dashboard_name: db
    dashboard_body:
      widgets: [{properties: {markdown: db}, type: text, height: 3, width: 6, x: 0, "y": 0}]
)");
  auto import = Infra("import aws_cloudwatch_metric_alarm.rds_cpu rds-cpu");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  import = Infra("import aws_cloudwatch_dashboard.board db");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  auto s = Seen();
  EXPECT_EQ(s["alarms"]["rds-cpu"]["tags"]["infra:address"], "aws_cloudwatch_metric_alarm.rds_cpu");
  EXPECT_EQ(s["alarms"]["rds-cpu"]["tags"]["team"], "db");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(Infra("destroy --auto-approve").exit_code, 0);
  EXPECT_EQ(Seen(), nlohmann::json({{"alarms", nlohmann::json::object()}, {"dashboards", nlohmann::json::object()}}));
}

}  // namespace
}  // namespace infra::test
