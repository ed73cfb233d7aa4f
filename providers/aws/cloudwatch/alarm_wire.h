// What aws_cloudwatch_metric_alarm's field table cannot say on the query
// wire: the metric's dimensions (a map; Name/Value members), the metric
// math (metric_query blocks), numbers as the engine compares them, and the
// alarm's tags, which CloudWatch names by the alarm's ARN (TagResource /
// UntagResource / ListTagsForResource) where the kit's query tagging names
// a resource by its id.
#pragma once
#include <map>
#include <string>

#include "common/result.h"
#include "providers/aws/kit/spec.h"
#include "providers/aws/sdk/protocol_query.h"
#include "providers/provider.h"

namespace infra::aws::cloudwatch {

/// A number as the engine compares it: "70.0" -> 70, "0.5" -> 0.5; null for "".
nlohmann::json Number(const std::string& text);

/// The Dimensions and Metrics (metric_query) parameters of desired.
QueryParams MetricParams(const provider::Attributes& desired);

/// `dimensions` and `metric_query` from a DescribeAlarms item (null when
/// there are none).
void ReadMetrics(pugi::xml_node item, provider::Attributes& a);

/// Tags alarm `arn` with `tags` (no call when empty).
Status TagAlarm(const kit::Call& call, const std::string& region, const std::string& arn, const TagList& tags);

/// Untags the user tags of prior that desired drops, then tags desired's.
Status UpdateAlarmTags(const kit::Call& call, const std::string& region, const provider::Attributes& prior,
                       const provider::Attributes& desired);

/// The user tags of every alarm of `found` (one ListTagsForResource each).
Status ReadAlarmTags(const kit::Call& call, const std::string& region,
                     std::map<std::string, provider::Attributes>& found);

}  // namespace infra::aws::cloudwatch
