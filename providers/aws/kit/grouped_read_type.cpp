// GroupedReadType (see grouped_read_type.h): reads by the bodies a type
// gives, the rest as JsonSpecType.
#include "providers/aws/kit/grouped_read_type.h"

#include <algorithm>

#include "providers/aws/kit/json_tags.h"
#include "providers/aws/kit/tags.h"

namespace infra::aws::kit {

using provider::Attributes;
using provider::OperationContext;

std::vector<std::vector<std::string>> Chunks(const std::vector<std::string>& ids, size_t max) {
  std::vector<std::vector<std::string>> out;
  for (size_t start = 0; start < ids.size(); start += max)
    out.emplace_back(ids.begin() + start, ids.begin() + std::min(ids.size(), start + max));
  return out;
}

std::vector<nlohmann::json> BodiesByParent(
    const std::vector<std::string>& ids, size_t max,
    const std::function<std::pair<std::string, std::string>(const std::string& id)>& split,
    const std::function<nlohmann::json(const std::string& parent, const std::vector<std::string>& members)>& body) {
  std::map<std::string, std::vector<std::string>> by_parent;
  for (const auto& id : ids) {
    auto [parent, member] = split(id);
    by_parent[parent].push_back(member);
  }
  std::vector<nlohmann::json> out;
  for (const auto& [parent, members] : by_parent)
    for (const auto& chunk : Chunks(members, max)) out.push_back(body(parent, chunk));
  return out;
}

GroupedReadType::GroupedReadType(std::shared_ptr<AwsClient> client, Spec spec, GroupedRead read)
    : JsonSpecType(std::move(client), std::move(spec)), grouped_(std::move(read)) {}

Result<std::map<std::string, GroupedReadType::Found>> GroupedReadType::ReadFound(const std::string& region,
                                                                                 const std::vector<std::string>& ids) {
  std::map<std::string, Found> out;
  if (ids.empty()) return out;
  const JsonTagging& t = spec_.service.tags.json;
  bool tagged = spec_.schema.taggable && spec_.service.tags.style == Tagging::Style::kTagResource;
  for (nlohmann::json body : grouped_.bodies(ids)) {
    for (;;) {
      auto reply = call()(RegionFor(region), spec_.read.action, body);
      if (!reply.ok()) return reply.error();
      nlohmann::json items = JsonAt(*reply, spec_.read.items);
      for (const auto& item : items.is_array() ? items : nlohmann::json::array()) {
        for (const auto& key : grouped_.item_ids(item)) {
          if (std::find(ids.begin(), ids.end(), key) == ids.end() || out.count(key)) continue;
          Found f{{{"id", key}}, {}, item};
          for (const auto& field : spec_.fields)
            if (field.use & kRead) FromJsonWire(item, field.path, f.attributes, field.attr, field.conv);
          if (spec_.json.hooks.on_read) spec_.json.hooks.on_read(item, region, f.attributes);
          if (f.attributes.is_null()) continue;  // gone (INACTIVE)
          if (tagged && t.list_action.empty()) f.tags = TagsFromJson(t.shape, JsonAt(item, t.read_member));
          if (tagged && !t.list_action.empty()) {
            nlohmann::json named = nlohmann::json::object();
            ToJsonWire({{"r", AttrText(f.attributes, t.resource_attr)}}, "r", named, t.resource_member, Conv::kString);
            auto got = call()(RegionFor(region), t.list_action, named);
            if (!got.ok()) return got.error();
            f.tags = TagsFromJson(t.shape, JsonAt(*got, t.read_member));
          }
          if (tagged && spec_.schema.Find("tags")) f.attributes["tags"] = UserTagsOf(f.tags);
          out[key] = std::move(f);
        }
      }
      nlohmann::json next = spec_.json.page_token.empty() ? nlohmann::json() : JsonAt(*reply, spec_.json.page_token);
      if (!next.is_string() || next.get<std::string>().empty()) break;
      body[spec_.json.page_token] = next;
    }
  }
  return out;
}

Result<std::map<std::string, Attributes>> GroupedReadType::Read(const std::string& region,
                                                                const std::vector<std::string>& ids) {
  auto found = ReadFound(region, ids);
  if (!found.ok()) return found.error();
  std::map<std::string, Attributes> out;
  for (auto& [id, f] : *found) out[id] = std::move(f.attributes);
  return out;
}

Result<std::optional<Attributes>> GroupedReadType::FindByAddress(const OperationContext& ctx,
                                                                 const Attributes& desired) {
  std::string id = grouped_.adopt_id ? grouped_.adopt_id(desired) : std::string();
  if (id.empty()) return std::optional<Attributes>();
  auto found = ReadFound(ctx.region, {id});
  if (!found.ok()) return found.error();
  auto it = found->find(id);
  if (it == found->end()) return std::optional<Attributes>();
  Found& f = it->second;
  std::string got_id = AttrText(f.attributes, "id");
  if (std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), got_id) != ctx.exclude_ids.end())
    return std::optional<Attributes>();
  bool tagged = spec_.schema.taggable && spec_.service.tags.style == Tagging::Style::kTagResource;
  if (tagged && (f.tags[kAddressTag] != ctx.address || f.tags[kStackTag] != ctx.stack))
    return std::optional<Attributes>();
  return std::optional<Attributes>(std::move(f.attributes));
}

}  // namespace infra::aws::kit
