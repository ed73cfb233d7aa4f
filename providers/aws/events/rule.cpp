// aws_cloudwatch_event_rule: a rule on the default event bus, on a schedule
// (rate() / cron()) or an event pattern (a JSON document compared
// semantically). PutRule makes it and replaces it whole on update, so
// ENABLED <-> DISABLED is an in-place update. Refresh lists the rules of a
// region once by the asked names' common prefix (ListRules, pages followed);
// tags are [{Key,Value}] by the rule's ARN.
#include <algorithm>
#include <memory>

#include "providers/aws/events/events_types.h"
#include "providers/aws/kit/grouped_read_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

std::string CommonPrefix(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string p = names.front();
  for (const auto& n : names) p.resize(std::mismatch(p.begin(), p.end(), n.begin(), n.end()).first - p.begin());
  return p;
}

kit::Spec RuleSpec() {
  provider::ResourceSchema s;
  s.type = "aws_cloudwatch_event_rule";
  s.service = "events";
  s.attributes = {
      Required("name", kForceNew),
      Matching(Optional("schedule_expression"), R"((rate|cron)\(.*\))"),
      Compared(Optional("event_pattern", kNone, AttrType::kAny), provider::Equality::kJsonDocument),
      OneOf(Optional("state", kNone, AttrType::kString, "ENABLED"),
            {"ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"}),
      Optional("description"),
      Optional("role_arn"),
      Tags(),
      Computed("id"),
      Computed("arn"),
  };
  for (auto& a : s.attributes)  // PutRule replaces the rule: one left out is cleared
    a.unset_clears = a.name != "state" && a.name != "name" && a.name != "tags";
  s.checks = {{provider::SchemaCheck::Kind::kAtLeastOneOf, {"schedule_expression", "event_pattern"}}};
  kit::Service svc{"events", kit::Protocol::kJson, {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}};
  svc.tags.json = {kit::JsonTagging::Shape::kKeyValueUpper, "Tags", "ResourceARN", "arn", "Tags", "TagKeys",
                   "ListTagsForResource", "Tags"};
  kit::Spec spec{std::move(s), svc, {
      {"name", "Name"},
      {"schedule_expression", "ScheduleExpression"},
      {"event_pattern", "EventPattern", "", kit::Conv::kJsonDocument},
      {"state", "State"},
      {"description", "Description"},
      {"role_arn", "RoleArn"},
      {"arn", "", "Arn", kit::Conv::kString, kit::kRead},
  }, {"PutRule", ""}};
  // PutRule replaces the rule: every argument is sent, one left out is cleared.
  std::vector<std::string> all = {"schedule_expression", "event_pattern", "state", "description", "role_arn"};
  spec.updates = {{all, "PutRule", all}};
  spec.del = {"DeleteRule", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "ListRules", "", "Rules", "Name"};
  spec.json.id_member = "Name";
  spec.json.page_token = "NextToken";
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string&, Attributes& a) {
    for (const char* k : {"schedule_expression", "event_pattern", "description", "role_arn"})
      if (!a.contains(k)) a[k] = nullptr;
  };
  return spec;
}

kit::GroupedRead RuleRead() {
  return {[](const std::vector<std::string>& names) {
            nlohmann::json body = {{"Limit", 100}};
            if (std::string p = CommonPrefix(names); !p.empty()) body["NamePrefix"] = p;
            return std::vector<nlohmann::json>{body};
          },
          [](const nlohmann::json& item) { return std::vector<std::string>{kit::AttrText(item, "Name")}; },
          [](const Attributes& desired) { return kit::AttrText(desired, "name"); }};
}

}  // namespace

void AddEventRuleTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::GroupedReadType>(p.client(), RuleSpec(), RuleRead()));
}

}  // namespace infra::aws
