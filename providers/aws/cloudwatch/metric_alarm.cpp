// aws_cloudwatch_metric_alarm: an alarm on one metric (statistic or
// extended_statistic, dimensions as a map) or on metric math (metric_query
// blocks), with its action sets. The id is the name. PutMetricAlarm both
// creates and replaces the whole alarm, so an update sends everything again.
// Reads batch DescribeAlarms by up to 100 names; tags (by the alarm's ARN:
// TagResource / UntagResource / ListTagsForResource) are this file's own,
// since the kit's query tagging names a resource by its id.
#include <cmath>
#include <memory>

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

// A number as the engine compares it: 70.0 -> 70.
nlohmann::json Number(const std::string& text) {
  if (text.empty()) return nullptr;
  double d = std::strtod(text.c_str(), nullptr);
  return d == std::floor(d) && std::fabs(d) < 1e15 ? nlohmann::json(static_cast<long long>(d)) : nlohmann::json(d);
}

void AddDimensions(QueryParams& p, const std::string& prefix, const nlohmann::json& dims) {
  if (!dims.is_object()) return;
  int n = 0;
  for (auto it = dims.begin(); it != dims.end(); ++it) {
    std::string at = prefix + ".member." + std::to_string(++n);
    p.emplace_back(at + ".Name", it.key());
    p.emplace_back(at + ".Value", it->is_string() ? it->get<std::string>() : it->dump());
  }
}

nlohmann::json ReadDimensions(pugi::xml_node list) {
  nlohmann::json out = nlohmann::json::object();
  for (pugi::xml_node d : list.children()) out[XmlText(d, "Name")] = XmlText(d, "Value");
  return out.empty() ? nlohmann::json() : out;
}

// Every PutMetricAlarm parameter of `desired` (it replaces the whole alarm).
QueryParams AlarmParams(const Attributes& desired, bool with_fields) {
  QueryParams p;
  if (with_fields)
    for (const auto& f : kFields)
      if (f.use & kit::kCreate) kit::AddParam(p, kit::Protocol::kQuery, f.param, f.conv, desired.value(f.attr, nlohmann::json()));
  AddDimensions(p, "Dimensions", desired.value("dimensions", nlohmann::json()));
  const auto queries = desired.value("metric_query", nlohmann::json());
  for (size_t i = 0; queries.is_array() && i < queries.size(); ++i) {
    const auto& q = queries[i];
    std::string at = "Metrics.member." + std::to_string(i + 1);
    auto add = [&](const std::string& param, const nlohmann::json& v, kit::Conv conv = kit::Conv::kString) {
      kit::AddParam(p, kit::Protocol::kQuery, at + "." + param, conv, v);
    };
    add("Id", q.value("id", nlohmann::json()));
    add("Expression", q.value("expression", nlohmann::json()));
    add("Label", q.value("label", nlohmann::json()));
    add("ReturnData", q.value("return_data", nlohmann::json()), kit::Conv::kBool);
    add("Period", q.value("period", nlohmann::json()));
    add("AccountId", q.value("account_id", nlohmann::json()));
    const auto m = q.value("metric", nlohmann::json());
    if (!m.is_object()) continue;
    add("MetricStat.Metric.MetricName", m.value("metric_name", nlohmann::json()));
    add("MetricStat.Metric.Namespace", m.value("namespace", nlohmann::json()));
    AddDimensions(p, at + ".MetricStat.Metric.Dimensions", m.value("dimensions", nlohmann::json()));
    add("MetricStat.Period", m.value("period", nlohmann::json()));
    add("MetricStat.Stat", m.value("stat", nlohmann::json()));
    add("MetricStat.Unit", m.value("unit", nlohmann::json()));
  }
  return p;
}

nlohmann::json ReadQueries(pugi::xml_node list) {
  nlohmann::json out = nlohmann::json::array();
  for (pugi::xml_node q : list.children()) {
    nlohmann::json one = {{"id", XmlText(q, "Id")}};
    for (auto [attr, path] : {std::pair{"expression", "Expression"}, {"label", "Label"}, {"account_id", "AccountId"}})
      if (auto v = XmlText(q, path); !v.empty()) one[attr] = v;
    if (auto v = XmlText(q, "ReturnData"); !v.empty()) one["return_data"] = v == "true";
    if (auto v = XmlText(q, "Period"); !v.empty()) one["period"] = Number(v);
    if (pugi::xml_node ms = XmlPath(q, "MetricStat")) {
      nlohmann::json m = {{"metric_name", XmlText(ms, "Metric/MetricName")}, {"namespace", XmlText(ms, "Metric/Namespace")},
                          {"period", Number(XmlText(ms, "Period"))}, {"stat", XmlText(ms, "Stat")}};
      if (auto u = XmlText(ms, "Unit"); !u.empty()) m["unit"] = u;
      if (auto d = ReadDimensions(XmlPath(ms, "Metric/Dimensions")); !d.is_null()) m["dimensions"] = d;
      one["metric"] = m;
    }
    out.push_back(one);
  }
  return out.empty() ? nlohmann::json() : out;
}

Status Tag(const kit::Call& call, const std::string& region, const std::string& arn, const TagList& tags) {
  if (tags.empty()) return {};
  QueryParams p = {{"ResourceARN", arn}};
  AddMemberTags(p, tags);
  auto r = call(region, "TagResource", p);
  return r.ok() ? Status() : Status(r.error());
}

class AlarmType : public kit::SpecType {
 public:
  using kit::SpecType::SpecType;
  /// Reads the alarm and tags it infra:stack / infra:address, as a create does.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = SpecType::Import(ctx, id);
    if (!got.ok()) return got;
    if (auto st = Tag(call(), ctx.region, kit::AttrText(*got, "arn"), kit::InfraTags(ctx, got->value("tags", nlohmann::json())));
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
         auto r = call(region, "PutMetricAlarm", AlarmParams(desired, true));
         return r.ok() ? Status() : Status(r.error());
       }},
      {{"tags"}, "", {}, {}, {}, "",
       [](const kit::Call& call, const std::string& region, const std::string&, const Attributes& prior, const Attributes& desired) {
         auto before = kit::UserTagList(prior.value("tags", nlohmann::json()));
         auto after = kit::UserTagList(desired.value("tags", nlohmann::json()));
         std::map<std::string, std::string> now(after.begin(), after.end());
         std::vector<std::string> removed;
         for (const auto& [k, v] : before)
           if (!now.count(k)) removed.push_back(k);
         const std::string arn = kit::AttrText(prior, "arn");
         if (!removed.empty()) {
           QueryParams p = {{"ResourceARN", arn}};
           AddMemberList(p, "TagKeys", removed);
           if (auto r = call(region, "UntagResource", p); !r.ok()) return Status(r.error());
         }
         return Tag(call, region, arn, after);
       }},
  };
  spec.del = {"DeleteAlarms", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeAlarms", "AlarmNames", "DescribeAlarmsResult/MetricAlarms",
               "AlarmName"};
  spec.adopt = {kit::Adoption::Kind::kNone};  // PutMetricAlarm again is harmless
  spec.hooks.id_of = [](const Attributes& desired, pugi::xml_node) { return kit::AttrText(desired, "alarm_name"); };
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"AlarmNames.member.1", id}}; };
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    auto extra = AlarmParams(desired, false);
    p.insert(p.end(), extra.begin(), extra.end());
    AddMemberTags(p, kit::InfraTags(ctx, desired.value("tags", nlohmann::json())));
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    a["threshold"] = Number(XmlText(item, "Threshold"));
    if (a["treat_missing_data"].is_null()) a["treat_missing_data"] = "missing";  // AWS's default, unreported
    a["dimensions"] = ReadDimensions(XmlPath(item, "Dimensions"));
    a["metric_query"] = ReadQueries(XmlPath(item, "Metrics"));
    for (const char* set : {"alarm_actions", "ok_actions", "insufficient_data_actions"})
      if (a[set].is_array() && a[set].empty()) a[set] = nullptr;
  };
  spec.hooks.enrich = [](const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
    for (auto& [id, a] : found) {
      auto r = call(region, "ListTagsForResource", {{"ResourceARN", kit::AttrText(a, "arn")}});
      if (!r.ok()) return Status(r.error());
      a["tags"] = kit::ReadUserTags(XmlPath(r->root, "ListTagsForResourceResult"), kit::Protocol::kQuery);
    }
    return Status();
  };
  return spec;
}

}  // namespace

void AddMetricAlarmTypes(TypeRegistry& p) { p.Add(std::make_unique<AlarmType>(p.client(), AlarmSpec())); }

}  // namespace infra::aws
