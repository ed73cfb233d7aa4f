// The query wire of an alarm beyond its field table (alarm_wire.h).
#include "providers/aws/cloudwatch/alarm_wire.h"

#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::cloudwatch {

using provider::Attributes;

namespace {

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

}  // namespace

nlohmann::json Number(const std::string& text) {
  if (text.empty()) return nullptr;
  double d = std::strtod(text.c_str(), nullptr);
  return d == std::floor(d) && std::fabs(d) < 1e15 ? nlohmann::json(static_cast<long long>(d)) : nlohmann::json(d);
}

QueryParams MetricParams(const Attributes& desired) {
  QueryParams p;
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

void ReadMetrics(pugi::xml_node item, Attributes& a) {
  a["dimensions"] = ReadDimensions(XmlPath(item, "Dimensions"));
  a["metric_query"] = ReadQueries(XmlPath(item, "Metrics"));
}

Status TagAlarm(const kit::Call& call, const std::string& region, const std::string& arn, const TagList& tags) {
  if (tags.empty()) return {};
  QueryParams p = {{"ResourceARN", arn}};
  AddMemberTags(p, tags);
  auto r = call(region, "TagResource", p);
  return r.ok() ? Status() : Status(r.error());
}

Status UpdateAlarmTags(const kit::Call& call, const std::string& region, const Attributes& prior,
                       const Attributes& desired) {
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
  return TagAlarm(call, region, arn, after);
}

Status ReadAlarmTags(const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
  for (auto& [id, a] : found) {
    auto r = call(region, "ListTagsForResource", {{"ResourceARN", kit::AttrText(a, "arn")}});
    if (!r.ok()) return Status(r.error());
    a["tags"] = kit::ReadUserTags(XmlPath(r->root, "ListTagsForResourceResult"), kit::Protocol::kQuery);
  }
  return Status();
}

}  // namespace infra::aws::cloudwatch
