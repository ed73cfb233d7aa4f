// Nested fields, Key/Value attributes, actions and conditions on the ELBv2
// wire (see elbv2_wire.h).
#include "providers/aws/elbv2/elbv2_wire.h"

#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::elbv2 {

using provider::AttrMode;
using provider::AttrType;
using namespace schema;

namespace {
std::vector<std::string> Split(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(dotted.substr(start, dot - start));
  parts.push_back(dotted.substr(start));
  return parts;
}

void SetPath(nlohmann::json& obj, const std::string& dotted, nlohmann::json value) {
  nlohmann::json* at = &obj;
  for (const auto& part : Split(dotted)) {
    if (!at->is_object()) *at = nlohmann::json::object();
    at = &(*at)[part];
  }
  *at = std::move(value);
}

std::string SlashPath(std::string param) {
  std::replace(param.begin(), param.end(), '.', '/');
  return param;
}

const std::vector<BlockField>& ActionFields() {
  static const std::vector<BlockField> kFields = {
      {"type", "Type"},
      {"target_group_arn", "TargetGroupArn"},
      {"redirect.protocol", "RedirectConfig.Protocol"},
      {"redirect.port", "RedirectConfig.Port"},
      {"redirect.host", "RedirectConfig.Host"},
      {"redirect.path", "RedirectConfig.Path"},
      {"redirect.query", "RedirectConfig.Query"},
      {"redirect.status_code", "RedirectConfig.StatusCode"},
      {"fixed_response.content_type", "FixedResponseConfig.ContentType"},
      {"fixed_response.message_body", "FixedResponseConfig.MessageBody"},
      {"fixed_response.status_code", "FixedResponseConfig.StatusCode"},
  };
  return kFields;
}

// Each condition is one kind; its wire Field follows from the block set.
const std::vector<std::pair<std::string, BlockField>>& ConditionKinds() {
  static const std::vector<std::pair<std::string, BlockField>> kKinds = {
      {"path-pattern", {"path_pattern.values", "PathPatternConfig.Values", kit::Conv::kStringList}},
      {"host-header", {"host_header.values", "HostHeaderConfig.Values", kit::Conv::kStringList}},
  };
  return kKinds;
}
}  // namespace

nlohmann::json GetPath(const nlohmann::json& obj, const std::string& dotted) {
  const nlohmann::json* at = &obj;
  for (const auto& part : Split(dotted)) {
    if (!at->is_object() || !at->contains(part)) return nullptr;
    at = &(*at)[part];
  }
  return *at;
}

void AddBlockParams(QueryParams& p, const std::string& prefix, const std::vector<BlockField>& fields,
                    const nlohmann::json& obj) {
  for (const auto& f : fields) kit::AddParam(p, kit::Protocol::kQuery, prefix + f.param, f.conv, GetPath(obj, f.attr));
}

void ReadBlockFields(pugi::xml_node item, const std::vector<BlockField>& fields, nlohmann::json& obj) {
  for (const auto& f : fields) {
    nlohmann::json v = kit::ReadValue(item, SlashPath(f.param), f.conv);
    if (!v.is_null()) SetPath(obj, f.attr, std::move(v));
  }
}

Status ModifyAttributes(const kit::Call& call, const std::string& region, const std::string& action,
                        const std::string& id_param, const std::string& id, const std::vector<AttributeKey>& keys,
                        const provider::Attributes& desired) {
  QueryParams p = {{id_param, id}};
  int n = 0;
  for (const auto& k : keys) {
    nlohmann::json v = GetPath(desired, k.attr);
    if (v.is_null()) continue;
    ++n;
    p.emplace_back(fmt::format("Attributes.member.{}.Key", n), k.key);
    kit::AddParam(p, kit::Protocol::kQuery, fmt::format("Attributes.member.{}.Value", n), kit::Conv::kString, v);
  }
  if (n == 0) return {};
  auto r = call(region, action, p);
  return r.ok() ? Status() : Status(r.error());
}

Status ReadAttributes(const kit::Call& call, const std::string& region, const std::string& action,
                      const std::string& id_param, const std::vector<AttributeKey>& keys,
                      std::map<std::string, provider::Attributes>& found) {
  for (auto& [id, a] : found) {
    auto r = call(region, action, {{id_param, id}});
    if (!r.ok() && kit::IsNotFound(call.service(), r.error())) continue;  // gone since the describe
    if (!r.ok()) return r.error();
    for (pugi::xml_node m : XmlItems(r->root, action + "Result/Attributes")) {
      std::string key = XmlText(m, "Key");
      for (const auto& k : keys)
        if (nlohmann::json v = kit::ReadValue(m, "Value", k.conv); k.key == key && !v.is_null())
          SetPath(a, k.attr, std::move(v));
    }
  }
  return {};
}

void AddActions(QueryParams& p, const std::string& name, const nlohmann::json& list) {
  if (!list.is_array()) return;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string prefix = fmt::format("{}.member.{}.", name, i + 1);
    AddBlockParams(p, prefix, ActionFields(), list[i]);
    p.emplace_back(prefix + "Order", std::to_string(i + 1));
  }
}

nlohmann::json ReadActions(pugi::xml_node node) {
  std::vector<std::pair<long, nlohmann::json>> ordered;
  for (pugi::xml_node m : node.children()) {
    nlohmann::json a = nlohmann::json::object();
    ReadBlockFields(m, ActionFields(), a);
    ordered.emplace_back(std::strtol(XmlText(m, "Order").c_str(), nullptr, 10), std::move(a));
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  nlohmann::json out = nlohmann::json::array();
  for (auto& [order, a] : ordered) out.push_back(std::move(a));
  return out;
}

void AddConditions(QueryParams& p, const nlohmann::json& list) {
  if (!list.is_array()) return;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string prefix = fmt::format("Conditions.member.{}.", i + 1);
    for (const auto& [field, f] : ConditionKinds()) {
      if (GetPath(list[i], f.attr).is_null()) continue;
      p.emplace_back(prefix + "Field", field);
      AddBlockParams(p, prefix, {f}, list[i]);
    }
  }
}

nlohmann::json ReadConditions(pugi::xml_node node) {
  nlohmann::json out = nlohmann::json::array();
  for (pugi::xml_node m : node.children()) {
    nlohmann::json c = nlohmann::json::object();
    std::string field = XmlText(m, "Field");
    for (const auto& [kind, f] : ConditionKinds()) {
      if (kind != field) continue;
      ReadBlockFields(m, {f}, c);
      // Older API form: the values only under <Values>.
      if (c.empty()) ReadBlockFields(m, {{f.attr, "Values", kit::Conv::kStringList}}, c);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<provider::AttributeSchema> ActionBlock() {
  return {
      OneOf(Required("type"), {"forward", "redirect", "fixed-response"}),
      Optional("target_group_arn"),
      Block("redirect", AttrMode::kOptional, {
          OptionalComputed("protocol"), OptionalComputed("port"), OptionalComputed("host"),
          OptionalComputed("path"), OptionalComputed("query"),
          OneOf(Required("status_code"), {"HTTP_301", "HTTP_302"}),
      }),
      Block("fixed_response", AttrMode::kOptional, {
          OneOf(Required("content_type"), {"text/plain", "text/css", "text/html", "application/javascript",
                                           "application/json"}),
          Optional("message_body"),
          OptionalComputed("status_code"),
      }),
  };
}

std::vector<provider::AttributeSchema> ConditionBlock() {
  return {
      Block("path_pattern", AttrMode::kOptional, {Required("values", kNone, AttrType::kSetString)}),
      Block("host_header", AttrMode::kOptional, {Required("values", kNone, AttrType::kSetString)}),
  };
}

std::string ArnSuffix(const std::string& arn) {
  if (auto at = arn.find(":loadbalancer/"); at != std::string::npos) return arn.substr(at + 14);
  if (auto at = arn.find(":targetgroup/"); at != std::string::npos) return arn.substr(at + 1);
  return {};
}

}  // namespace infra::aws::elbv2
