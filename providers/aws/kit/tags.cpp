// infra:* and user tags on the wire (see tags.h).
#include "providers/aws/kit/tags.h"

#include <fmt/format.h>

#include <map>

#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::kit {
namespace {
constexpr std::string_view kInfraPrefix = "infra:";

std::map<std::string, std::string> AsMap(const nlohmann::json& tags) {
  std::map<std::string, std::string> m;
  if (tags.is_object())
    for (auto it = tags.begin(); it != tags.end(); ++it) {
      if (it->is_null()) continue;  // `Nul: ~` means no such tag, not the text "null"
      m[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
    }
  return m;
}

const char* TagSetName(Protocol p) { return p == Protocol::kEc2 ? "tagSet" : "Tags"; }
const char* KeyName(Protocol p) { return p == Protocol::kEc2 ? "key" : "Key"; }
const char* ValueName(Protocol p) { return p == Protocol::kEc2 ? "value" : "Value"; }
}  // namespace

TagList UserTagList(const nlohmann::json& user_tags) {
  auto m = AsMap(user_tags);
  return TagList(m.begin(), m.end());
}

TagList InfraTags(const provider::OperationContext& ctx, const nlohmann::json& user_tags) {
  auto all = AsMap(user_tags);
  if (!ctx.stack.empty()) all[kStackTag] = ctx.stack;
  if (!ctx.address.empty()) all[kAddressTag] = ctx.address;
  return TagList(all.begin(), all.end());
}

nlohmann::json ReadUserTags(pugi::xml_node item, Protocol p) {
  nlohmann::json tags = nlohmann::json::object();
  for (pugi::xml_node t : XmlItems(item, TagSetName(p))) {
    std::string key = XmlText(t, KeyName(p));
    if (key.rfind(kInfraPrefix, 0) == 0) continue;
    tags[key] = XmlText(t, ValueName(p));
  }
  return tags.empty() ? nlohmann::json() : tags;
}

std::string ReadTag(pugi::xml_node item, Protocol p, std::string_view key) {
  for (pugi::xml_node t : XmlItems(item, TagSetName(p)))
    if (XmlText(t, KeyName(p)) == key) return XmlText(t, ValueName(p));
  return {};
}

void AddCreateTags(QueryParams& params, const Service& service, const provider::OperationContext& ctx,
                   const nlohmann::json& user_tags) {
  switch (service.tags.style) {
    case Tagging::Style::kNone: return;
    case Tagging::Style::kTagSpecifications:
      AddEc2TagSpecification(params, service.tags.resource_type, InfraTags(ctx, user_tags));
      return;
    case Tagging::Style::kMemberTags: AddMemberTags(params, InfraTags(ctx, user_tags)); return;
    case Tagging::Style::kTagResource: return;  // JSON bodies: json_tags.h
  }
}

Status UpdateTags(const Call& call, const std::string& region, const QueryParams& id_params,
                  const nlohmann::json& prior, const nlohmann::json& desired) {
  const Service& s = call.service();
  if (s.tags.style == Tagging::Style::kNone) return {};
  auto before = AsMap(prior), after = AsMap(desired);
  TagList set;
  std::vector<std::string> removed;
  for (const auto& [k, v] : after)
    if (auto it = before.find(k); it == before.end() || it->second != v) set.emplace_back(k, v);
  for (const auto& [k, v] : before)
    if (!after.count(k) && k.rfind(kInfraPrefix, 0) != 0) removed.push_back(k);
  bool ec2 = s.tags.style == Tagging::Style::kTagSpecifications;
  if (!removed.empty()) {
    QueryParams p = id_params;
    if (ec2)
      for (size_t i = 0; i < removed.size(); ++i) p.emplace_back(fmt::format("Tag.{}.Key", i + 1), removed[i]);
    else
      AddMemberList(p, "TagKeys", removed);
    if (auto r = call(region, ec2 ? "DeleteTags" : s.tags.untag_action, p); !r.ok()) return r.error();
  }
  if (!set.empty()) {
    QueryParams p = id_params;
    if (ec2)
      AddEc2Tags(p, set);
    else
      AddMemberTags(p, set);
    if (auto r = call(region, ec2 ? "CreateTags" : s.tags.tag_action, p); !r.ok()) return r.error();
  }
  return {};
}

Status TagAsManaged(const Call& call, const std::string& region, const QueryParams& id_params,
                    const provider::OperationContext& ctx) {
  nlohmann::json infra = nlohmann::json::object();
  if (!ctx.stack.empty()) infra[kStackTag] = ctx.stack;
  if (!ctx.address.empty()) infra[kAddressTag] = ctx.address;
  return UpdateTags(call, region, id_params, nlohmann::json::object(), infra);
}

}  // namespace infra::aws::kit
