// The CloudWatch family (service "cloudwatch", endpoint and signing name
// "monitoring"; AWS query, 2010-08-01): one Add*Types per file of
// providers/aws/cloudwatch/, called by providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddMetricAlarmTypes(TypeRegistry& registry);  // metric_alarm.cpp: aws_cloudwatch_metric_alarm
void AddDashboardTypes(TypeRegistry& registry);    // dashboard.cpp: aws_cloudwatch_dashboard

}  // namespace infra::aws
