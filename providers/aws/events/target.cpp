// aws_cloudwatch_event_target: one target of a rule (PutTargets with one
// entry, on create and on update; RemoveTargets). The id is "RULE/TARGET_ID"
// (the import form). Refresh lists each rule's targets once
// (ListTargetsByRule, pages followed); a rule that is gone has none.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "providers/aws/events/events_types.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using kit::AttrText;
using provider::Attributes;
using provider::OperationContext;

std::pair<std::string, std::string> SplitId(const std::string& id) {
  size_t slash = id.rfind('/');
  if (slash == std::string::npos) return {id, ""};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

kit::Spec TargetSpec() {
  provider::ResourceSchema s;
  s.type = "aws_cloudwatch_event_target";
  s.service = "events";
  s.taggable = false;
  s.attributes = {
      Required("rule", kForceNew),
      Required("target_id", kForceNew),
      Required("arn"),
      Compared(Optional("input"), provider::Equality::kJsonDocument),
      Optional("input_path"),
      Optional("role_arn"),
      Computed("id"),
  };
  for (auto& a : s.attributes) a.unset_clears = a.name == "input" || a.name == "input_path" || a.name == "role_arn";
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"input", "input_path"}}};
  // Paths are the members of one entry of Targets (PutTargets, ListTargetsByRule).
  kit::Spec spec{std::move(s), kit::Service{"events", kit::Protocol::kJson}, {
      {"target_id", "", "Id", kit::Conv::kString, kit::kRead},
      {"arn", "", "Arn", kit::Conv::kString, kit::kRead},
      {"input", "", "Input", kit::Conv::kString, kit::kRead},
      {"input_path", "", "InputPath", kit::Conv::kString, kit::kRead},
      {"role_arn", "", "RoleArn", kit::Conv::kString, kit::kRead},
  }, {"PutTargets", ""}};
  spec.del = {"RemoveTargets", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "ListTargetsByRule", "", "Targets"};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.json.page_token = "NextToken";
  spec.json.hooks.id_body = [](const std::string& id) { return nlohmann::json{{"Rule", SplitId(id).first}}; };
  spec.json.hooks.delete_body = [](const Attributes& prior, nlohmann::json& body) {
    body["Ids"] = {SplitId(AttrText(prior, "id")).second};
  };
  return spec;
}

class TargetType : public kit::JsonSpecType {
 public:
  explicit TargetType(std::shared_ptr<AwsClient> client) : JsonSpecType(std::move(client), TargetSpec()) {}

  Result<provider::ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    return Put(ctx, desired);
  }
  Result<provider::ApplyResult> Update(const OperationContext& ctx, const Attributes&,
                                       const Attributes& desired) override {
    return Put(ctx, desired);
  }
  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, std::vector<std::string>> by_rule;
    for (const auto& id : ids) by_rule[SplitId(id).first].push_back(id);
    std::map<std::string, Attributes> out;
    for (const auto& [rule, asked] : by_rule) {
      nlohmann::json body = {{"Rule", rule}};
      for (;;) {
        auto reply = call()(region, "ListTargetsByRule", body);
        if (!reply.ok() && kit::IsNotFound(spec_.service, reply.error())) break;  // the rule is gone
        if (!reply.ok()) return reply.error();
        for (const auto& item : reply->value("Targets", nlohmann::json::array())) {
          std::string id = rule + "/" + AttrText(item, "Id");
          if (std::find(asked.begin(), asked.end(), id) == asked.end()) continue;
          Attributes a = {{"id", id}, {"rule", rule}, {"input", nullptr}, {"input_path", nullptr}, {"role_arn", nullptr}};
          for (const auto& f : spec_.fields) kit::FromJsonWire(item, f.path, a, f.attr, f.conv);
          out[id] = std::move(a);
        }
        std::string next = AttrText(*reply, "NextToken");
        if (next.empty()) break;
        body["NextToken"] = next;
      }
    }
    return out;
  }
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    std::string id = AttrText(desired, "rule") + "/" + AttrText(desired, "target_id");
    if (std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), id) != ctx.exclude_ids.end())
      return std::optional<Attributes>();
    auto got = Read(ctx.region, {id});
    if (!got.ok()) return got.error();
    if (got->count(id) == 0) return std::optional<Attributes>();
    return std::optional<Attributes>(got->at(id));
  }

 private:
  // PutTargets with this one target; a failed entry is an error.
  Result<provider::ApplyResult> Put(const OperationContext& ctx, const Attributes& desired) {
    nlohmann::json target = nlohmann::json::object();
    for (const auto& f : spec_.fields) kit::ToJsonWire(desired, f.attr, target, f.path, f.conv);
    std::string rule = AttrText(desired, "rule");
    auto r = call()(ctx.region, "PutTargets", {{"Rule", rule}, {"Targets", {target}}});
    if (!r.ok()) return r.error();
    if (r->value("FailedEntryCount", 0) > 0) {
      const auto& e = (*r)["FailedEntries"][0];
      return MakeError(Error::Kind::kInvalid, AttrText(e, "ErrorCode"),
                       fmt::format("{}: PutTargets refused target {}: {}", ctx.address, AttrText(desired, "target_id"),
                                   AttrText(e, "ErrorMessage")));
    }
    return Finish(ctx.region, rule + "/" + AttrText(desired, "target_id"), desired);
  }
};

}  // namespace

void AddEventTargetTypes(TypeRegistry& p) { p.Add(std::make_unique<TargetType>(p.client())); }

}  // namespace infra::aws
