// aws_cloudwatch_metric_alarm: an alarm on one metric (statistic or
// extended_statistic, dimensions as a map) or on metric math (metric_query
// blocks), with its action sets. The id is the name. PutMetricAlarm both
// creates and replaces the whole alarm, so an update sends everything again.
// Reads batch DescribeAlarms by up to 100 names. Dimensions, metric math
// and the tags by the alarm's ARN are on the wire by alarm_wire.h.
#include <memory>

#include "providers/aws/cloudwatch/alarm_wire.h"
#include "providers/aws/cloudwatch/cloudwatch_types.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;

const std::vector<kit::Field> kFields = {
    {"alarm_name", "AlarmName"},
    {"alarm_description", "AlarmDescription"},
    {"metric_name", "MetricName"},
    {"namespace", "Namespace"},
    {"statistic", "Statistic"},
    {"extended_statistic", "ExtendedStatistic"},
    {"period", "Period", "", kit::Conv::kNumber},
    {"evaluation_periods", "EvaluationPeriods", "", kit::Conv::kNumber},
    {"datapoints_to_alarm", "DatapointsToAlarm", "", kit::Conv::kNumber},
    {"threshold", "Threshold"},  // a double: normalised by on_read
    {"threshold_metric_id", "ThresholdMetricId"},
    {"comparison_operator", "ComparisonOperator"},
    {"treat_missing_data", "TreatMissingData"},
    {"unit", "Unit"},
    {"actions_enabled", "ActionsEnabled", "", kit::Conv::kBool},
    {"alarm_actions", "AlarmActions", "", kit::Conv::kStringList},
    {"ok_actions", "OKActions", "", kit::Conv::kStringList},
    {"insufficient_data_actions", "InsufficientDataActions", "", kit::Conv::kStringList},
    {"arn", "", "AlarmArn", kit::Conv::kString, kit::kRead},
};

// Every PutMetricAlarm parameter of `desired` (it replaces the whole alarm).
QueryParams AlarmParams(const Attributes& desired) {
  QueryParams p;
  for (const auto& f : kFields)
    if (f.use & kit::kCreate) kit::AddParam(p, kit::Protocol::kQuery, f.param, f.conv, desired.value(f.attr, nlohmann::json()));
  auto metrics = cloudwatch::MetricParams(desired);
  p.insert(p.end(), metrics.begin(), metrics.end());
  return p;
}

class AlarmType : public kit::SpecType {
 public:
  using kit::SpecType::SpecType;
  /// Reads the alarm and tags it infra:stack / infra:address, as a create does.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = SpecType::Import(ctx, id);
    if (!got.ok()) return got;
    if (auto st = cloudwatch::TagAlarm(call(), ctx.region, kit::AttrText(*got, "arn"),
                                       kit::InfraTags(ctx, got->value("tags", nlohmann::json())));
        !st.ok())
      return st.error();
    return got;
  }
};

kit::Spec AlarmSpec() {
  provider::ResourceSchema s;
  s.type = "aws_cloudwatch_metric_alarm";
  s.service = "cloudwatch";
  auto set = [](const char* name) { return Optional(name, kNone, AttrType::kSetString); };
  s.attributes = {
      Required("alarm_name", kForceNew),
      Optional("alarm_description"),
      Optional("metric_name"),
      Optional("namespace"),
      OneOf(Optional("statistic"), {"SampleCount", "Average", "Sum", "Minimum", "Maximum"}),
      Optional("extended_statistic"),
      Optional("period", kNone, AttrType::kNumber),
      Required("evaluation_periods", kNone, AttrType::kNumber),
      Optional("datapoints_to_alarm", kNone, AttrType::kNumber),
      Optional("threshold", kNone, AttrType::kNumber),
      Optional("threshold_metric_id"),
      OneOf(Required("comparison_operator"),
            {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
             "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}),
      OneOf(Optional("treat_missing_data", kNone, AttrType::kString, "missing"), {"missing", "ignore", "breaching", "notBreaching"}),
      Optional("unit"),
      Optional("actions_enabled", kNone, AttrType::kBool, true),
      set("alarm_actions"),
      set("ok_actions"),
      set("insufficient_data_actions"),
      Optional("dimensions", kNone, AttrType::kMapString),
      Blocks("metric_query", AttrMode::kOptional,
             {Required("id"), Optional("expression"), OptionalComputed("label"),
              OptionalComputed("return_data", kNone, AttrType::kBool), OptionalComputed("period", kNone, AttrType::kNumber),
              OptionalComputed("account_id"),
              Block("metric", AttrMode::kOptional,
                    {Required("metric_name"), Required("namespace"), Required("period", kNone, AttrType::kNumber),
                     Required("stat"), OptionalComputed("unit"), Optional("dimensions", kNone, AttrType::kMapString)})}),
      Tags(),
      Computed("id"),
      Computed("arn"),
  };
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"statistic", "extended_statistic"}},
              {provider::SchemaCheck::Kind::kConflictsWith, {"metric_name", "metric_query"}}};
  kit::Spec spec{std::move(s), kit::Service{"cloudwatch", kit::Protocol::kQuery}, kFields,
                 {"PutMetricAlarm", "", false, /*idempotent=*/true}};  // a put: a repeat changes nothing
  std::vector<std::string> all;
  for (const auto& a : spec.schema.attributes)
    if (a.mode != AttrMode::kComputed && a.name != "alarm_name" && a.name != "tags") all.push_back(a.name);
  spec.updates = {
      {all, "", {}, {}, {}, "",
       [](const kit::Call& call, const std::string& region, const std::string&, const Attributes&, const Attributes& desired) {
         auto r = call(region, "PutMetricAlarm", AlarmParams(desired));
         return r.ok() ? Status() : Status(r.error());
       }},
      {{"tags"}, "", {}, {}, {}, "",
       [](const kit::Call& call, const std::string& region, const std::string&, const Attributes& prior,
          const Attributes& desired) { return cloudwatch::UpdateAlarmTags(call, region, prior, desired); }},
  };
  spec.del = {"DeleteAlarms", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeAlarms", "AlarmNames", "DescribeAlarmsResult/MetricAlarms",
               "AlarmName"};
  spec.adopt = {kit::Adoption::Kind::kNone};  // PutMetricAlarm again is harmless
  spec.hooks.id_of = [](const Attributes& desired, pugi::xml_node) { return kit::AttrText(desired, "alarm_name"); };
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"AlarmNames.member.1", id}}; };
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    auto extra = cloudwatch::MetricParams(desired);
    p.insert(p.end(), extra.begin(), extra.end());
    AddMemberTags(p, kit::InfraTags(ctx, desired.value("tags", nlohmann::json())));
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    a["threshold"] = cloudwatch::Number(XmlText(item, "Threshold"));
    if (a["treat_missing_data"].is_null()) a["treat_missing_data"] = "missing";  // AWS's default, unreported
    cloudwatch::ReadMetrics(item, a);
    for (const char* set : {"alarm_actions", "ok_actions", "insufficient_data_actions"})
      if (a[set].is_array() && a[set].empty()) a[set] = nullptr;
  };
  spec.hooks.enrich = cloudwatch::ReadAlarmTags;
  return spec;
}

}  // namespace

void AddMetricAlarmTypes(TypeRegistry& p) { p.Add(std::make_unique<AlarmType>(p.client(), AlarmSpec())); }

}  // namespace infra::aws
