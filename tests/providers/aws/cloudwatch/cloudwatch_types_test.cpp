// The CloudWatch family over a scripted client: an alarm's PutMetricAlarm
// parameters (dimensions, action sets, metric math, tags), its read (a
// threshold AWS reports as 70.0 is 70, dimensions as a map, tags by ARN),
// DescribeAlarms batched by 100 names, the update re-sending the whole
// alarm, and the dashboard's body compared as a document.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using test::ScriptedAwsClient;

std::string Alarm(const std::string& name) {
  return "<member><AlarmName>" + name + "</AlarmName><AlarmArn>arn:aws:cloudwatch:eu-west-1:123456789012:alarm:" + name +
         "</AlarmArn><ActionsEnabled>true</ActionsEnabled><AlarmActions><member>arn:aws:sns:eu-west-1:1:t</member>"
         "</AlarmActions><OKActions/><MetricName>CPUUtilization</MetricName><Namespace>AWS/ECS</Namespace>"
         "<Statistic>Average</Statistic><Dimensions><member><Name>ClusterName</Name><Value>app</Value></member>"
         "</Dimensions><Period>300</Period><EvaluationPeriods>2</EvaluationPeriods><Threshold>70.0</Threshold>"
         "<ComparisonOperator>GreaterThanThreshold</ComparisonOperator><TreatMissingData>missing</TreatMissingData>"
         "</member>";
}
std::string Describe(const std::vector<std::string>& names) {
  std::string members;
  for (const auto& n : names) members += Alarm(n);
  return "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms>" + members +
         "</MetricAlarms><CompositeAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>";
}
const char* kNoTags = "<ListTagsForResourceResponse><ListTagsForResourceResult><Tags/></ListTagsForResourceResult>"
                      "</ListTagsForResourceResponse>";

class CloudWatchTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
  nlohmann::json cpu_ = {{"alarm_name", "cpu"}, {"metric_name", "CPUUtilization"}, {"namespace", "AWS/ECS"},
                         {"statistic", "Average"}, {"period", 300}, {"evaluation_periods", 2}, {"threshold", 70},
                         {"comparison_operator", "GreaterThanThreshold"}, {"treat_missing_data", "missing"},
                         {"actions_enabled", true}, {"alarm_actions", {"arn:aws:sns:eu-west-1:1:t"}},
                         {"dimensions", {{"ClusterName", "app"}}}};
};

TEST_F(CloudWatchTypesTest, AlarmCreateSendsTheWholeAlarmAndReadsItBackAsConfigured) {
  client_->Reply("PutMetricAlarm", "<PutMetricAlarmResponse/>");
  client_->Reply("DescribeAlarms", Describe({"cpu"}));
  client_->Reply("ListTagsForResource", kNoTags);
  auto r = T("aws_cloudwatch_metric_alarm").Create(Ctx("aws_cloudwatch_metric_alarm.cpu"), cpu_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  const auto& put = calls[0];
  EXPECT_EQ(put.service, "cloudwatch");
  EXPECT_EQ(put.Param("AlarmName"), "cpu");
  EXPECT_EQ(put.Param("Threshold"), "70");
  EXPECT_EQ(put.Param("Dimensions.member.1.Name"), "ClusterName");
  EXPECT_EQ(put.Param("Dimensions.member.1.Value"), "app");
  EXPECT_EQ(put.Param("AlarmActions.member.1"), "arn:aws:sns:eu-west-1:1:t");
  EXPECT_EQ(put.Param("Tags.member.1.Key"), "infra:address");
  EXPECT_EQ(calls[1].Param("AlarmNames.member.1"), "cpu");
  EXPECT_EQ(calls[2].Param("ResourceARN"), "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu");
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], "cpu");
  EXPECT_EQ(a["threshold"], 70);  // AWS says 70.0
  EXPECT_EQ(a["dimensions"], cpu_["dimensions"]);
  EXPECT_TRUE(a["ok_actions"].is_null());  // an empty set is no set
  for (const auto& [k, v] : cpu_.items())
    EXPECT_TRUE(provider::SameValue(*T("aws_cloudwatch_metric_alarm").schema().Find(k), a[k], v)) << k;
}

TEST_F(CloudWatchTypesTest, MetricMathIsSentAsMetricsMembers) {
  client_->Reply("PutMetricAlarm", "<PutMetricAlarmResponse/>");
  client_->Reply("DescribeAlarms", Describe({"math"}));
  client_->Reply("ListTagsForResource", kNoTags);
  nlohmann::json math = {{"alarm_name", "math"}, {"evaluation_periods", 1}, {"threshold", 10},
                         {"comparison_operator", "GreaterThanThreshold"},
                         {"metric_query", {{{"id", "e1"}, {"expression", "m1*100"}, {"return_data", true}},
                                           {{"id", "m1"}, {"metric", {{"metric_name", "HTTPCode_Target_5XX_Count"},
                                                                      {"namespace", "AWS/ApplicationELB"}, {"period", 60},
                                                                      {"stat", "Sum"}, {"dimensions", {{"LoadBalancer", "app/x"}}}}}}}}};
  ASSERT_TRUE(T("aws_cloudwatch_metric_alarm").Create(Ctx("aws_cloudwatch_metric_alarm.math"), math).ok());
  const auto put = client_->calls()[0];
  EXPECT_EQ(put.Param("Metrics.member.1.Id"), "e1");
  EXPECT_EQ(put.Param("Metrics.member.1.Expression"), "m1*100");
  EXPECT_EQ(put.Param("Metrics.member.1.ReturnData"), "true");
  EXPECT_EQ(put.Param("Metrics.member.2.MetricStat.Metric.MetricName"), "HTTPCode_Target_5XX_Count");
  EXPECT_EQ(put.Param("Metrics.member.2.MetricStat.Metric.Dimensions.member.1.Name"), "LoadBalancer");
  EXPECT_EQ(put.Param("Metrics.member.2.MetricStat.Period"), "60");
  EXPECT_EQ(put.Param("Metrics.member.2.MetricStat.Stat"), "Sum");
  EXPECT_EQ(put.Param("MetricName"), "");
}

TEST_F(CloudWatchTypesTest, AlarmsAreReadByAHundredNamesACall) {
  std::vector<std::string> names, first, second;
  for (int i = 0; i < 150; ++i) names.push_back("a" + std::to_string(i));
  first.assign(names.begin(), names.begin() + 100);
  second.assign(names.begin() + 100, names.end());
  client_->Reply("DescribeAlarms", Describe(first));
  client_->Reply("DescribeAlarms", Describe(second));
  for (int i = 0; i < 150; ++i) client_->Reply("ListTagsForResource", kNoTags);
  auto got = T("aws_cloudwatch_metric_alarm").Read("eu-west-1", names);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 150u);
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].Param("AlarmNames.member.100"), "a99");
  EXPECT_EQ(calls[0].Param("AlarmNames.member.101"), "");
  EXPECT_EQ(calls[1].action, "DescribeAlarms");
  EXPECT_EQ(calls[1].Param("AlarmNames.member.50"), "a149");
}

TEST_F(CloudWatchTypesTest, AnUpdatePutsTheWholeAlarmAgain) {
  client_->Reply("PutMetricAlarm", "<PutMetricAlarmResponse/>");
  client_->Reply("DescribeAlarms", Describe({"cpu"}));
  client_->Reply("ListTagsForResource", kNoTags);
  nlohmann::json prior = cpu_, desired = cpu_;
  prior["id"] = "cpu";
  desired["threshold"] = 80;
  ASSERT_TRUE(T("aws_cloudwatch_metric_alarm").Update(Ctx("aws_cloudwatch_metric_alarm.cpu"), prior, desired).ok());
  const auto put = client_->calls()[0];
  EXPECT_EQ(put.action, "PutMetricAlarm");
  EXPECT_EQ(put.Param("Threshold"), "80");
  EXPECT_EQ(put.Param("MetricName"), "CPUUtilization");
  EXPECT_EQ(put.Param("Dimensions.member.1.Value"), "app");
}

TEST_F(CloudWatchTypesTest, ADashboardBodyIsADocument) {
  const auto* body = T("aws_cloudwatch_dashboard").schema().Find("dashboard_body");
  ASSERT_NE(body, nullptr);
  EXPECT_TRUE(provider::SameValue(*body, R"({"widgets": [], "start": "-PT6H"})",
                                  nlohmann::json({{"start", "-PT6H"}, {"widgets", nlohmann::json::array()}})));
  client_->Reply("PutDashboard", "<PutDashboardResponse><PutDashboardResult><DashboardValidationMessages/>"
                                 "</PutDashboardResult></PutDashboardResponse>");
  client_->Reply("GetDashboard", "<GetDashboardResponse><GetDashboardResult><DashboardName>ops</DashboardName>"
                                 "<DashboardBody>{\"widgets\":[]}</DashboardBody><DashboardArn>arn:d</DashboardArn>"
                                 "</GetDashboardResult></GetDashboardResponse>");
  auto r = T("aws_cloudwatch_dashboard").Create(Ctx("aws_cloudwatch_dashboard.ops"),
                                                {{"dashboard_name", "ops"}, {"dashboard_body", {{"widgets", nlohmann::json::array()}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(client_->calls()[0].Param("DashboardBody"), R"({"widgets":[]})");
  EXPECT_EQ(r->attributes["id"], "ops");
  EXPECT_EQ(r->attributes["dashboard_arn"], "arn:d");
}

}  // namespace
}  // namespace infra::aws
