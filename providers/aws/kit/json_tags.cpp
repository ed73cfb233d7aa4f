// JSON-protocol tags (see json_tags.h).
#include "providers/aws/kit/json_tags.h"

#include <vector>

#include "providers/aws/kit/tags.h"

namespace infra::aws::kit {
namespace {
constexpr std::string_view kInfraPrefix = "infra:";
}  // namespace

nlohmann::json TagsToJson(JsonTagging::Shape shape, const TagList& tags) {
  if (shape == JsonTagging::Shape::kMap) {
    nlohmann::json m = nlohmann::json::object();
    for (const auto& [k, v] : tags) m[k] = v;
    return m;
  }
  bool upper = shape == JsonTagging::Shape::kKeyValueUpper;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [k, v] : tags) list.push_back({{upper ? "Key" : "key", k}, {upper ? "Value" : "value", v}});
  return list;
}

std::map<std::string, std::string> TagsFromJson(const nlohmann::json& wire) {
  std::map<std::string, std::string> out;
  auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (wire.is_object()) {
    for (auto it = wire.begin(); it != wire.end(); ++it)
      if (!it->is_null()) out[it.key()] = text(*it);
    return out;
  }
  if (!wire.is_array()) return out;
  for (const auto& t : wire) {
    if (!t.is_object()) continue;
    for (auto [k, v] : {std::pair{"key", "value"}, std::pair{"Key", "Value"}})
      if (t.contains(k) && t[k].is_string()) out[t[k].get<std::string>()] = t.contains(v) ? text(t[v]) : "";
  }
  return out;
}

nlohmann::json UserTagsOf(const std::map<std::string, std::string>& all) {
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [k, v] : all)
    if (k.rfind(kInfraPrefix, 0) != 0) tags[k] = v;
  return tags.empty() ? nlohmann::json() : tags;
}

Status UpdateJsonTags(const JsonCall& call, const std::string& region, const std::string& resource,
                      const nlohmann::json& prior, const nlohmann::json& desired) {
  const Tagging& t = call.service().tags;
  if (t.style != Tagging::Style::kTagResource) return {};
  TagList before = UserTagList(prior), after = UserTagList(desired);
  std::map<std::string, std::string> old(before.begin(), before.end()), now(after.begin(), after.end());
  TagList set;
  std::vector<std::string> removed;
  for (const auto& [k, v] : now)
    if (auto it = old.find(k); it == old.end() || it->second != v) set.emplace_back(k, v);
  for (const auto& [k, v] : old)
    if (!now.count(k)) removed.push_back(k);
  if (!removed.empty()) {
    nlohmann::json body = {{t.json.resource_member, resource}, {t.json.keys_member, removed}};
    if (auto r = call(region, t.untag_action, body); !r.ok()) return r.error();
  }
  if (!set.empty()) {
    nlohmann::json body = {{t.json.resource_member, resource}, {t.json.tags_member, TagsToJson(t.json.shape, set)}};
    if (auto r = call(region, t.tag_action, body); !r.ok()) return r.error();
  }
  return {};
}

}  // namespace infra::aws::kit
