// The Route 53 service, names, ids and the record set listing
// (route53_service.h), and the family's registration.
#include "providers/aws/route53/route53_service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "providers/aws/kit/json_tags.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/tags.h"
#include "providers/aws/route53/route53_types.h"

namespace infra::aws::route53 {

kit::Service Service(const std::string& kind, std::map<std::string, kit::RestRoute>& routes) {
  kit::Service svc{"route53", kit::Protocol::kRestXml,
                   {kit::Tagging::Style::kTagResource, "", "ChangeTagsForResource", "ChangeTagsForResource"}};
  svc.tags.json = {kit::JsonTagging::Shape::kKeyValueUpper, "", "ResourceId", "", "AddTags.Tag", "RemoveTagKeys.Key",
                   "ListTagsForResource", "ResourceTagSet.Tags.Tag"};
  const std::string uri = "/2013-04-01/tags/" + kind + "/{ResourceId}";
  routes["ChangeTagsForResource"] = {"POST", uri, "ChangeTagsForResourceRequest", kXmlns};
  routes["ListTagsForResource"] = {"GET", uri};
  return svc;
}

provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "route53";
  s.scope = provider::Scope::kGlobal;
  s.attributes = std::move(attributes);
  return s;
}

std::string NormalName(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '\\' && i + 3 < name.size() && std::isdigit(static_cast<unsigned char>(name[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(name[i + 2])) && std::isdigit(static_cast<unsigned char>(name[i + 3]))) {
      c = static_cast<char>((name[i + 1] - '0') * 64 + (name[i + 2] - '0') * 8 + (name[i + 3] - '0'));
      i += 3;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string ShortId(const std::string& id) { return id.substr(id.rfind('/') == std::string::npos ? 0 : id.rfind('/') + 1); }

void AddRecordRoutes(std::map<std::string, kit::RestRoute>& routes) {
  routes["ListResourceRecordSets"] = {
      "GET", "/2013-04-01/hostedzone/{Id}/rrset?name={StartRecordName}&type={StartRecordType}"
             "&identifier={StartRecordIdentifier}&maxitems={MaxItems}"};
  routes["GetChange"] = {"GET", "/2013-04-01/change/{Id}"};
}

Result<std::string> TaggedFor(const kit::JsonCall& call, const provider::OperationContext& ctx,
                              const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), id) != ctx.exclude_ids.end()) continue;
    auto tags = call("us-east-1", "ListTagsForResource", {{"ResourceId", id}});
    if (!tags.ok()) return tags.error();
    auto all = kit::TagsFromJson(call.service().tags.json.shape, kit::JsonAt(*tags, "ResourceTagSet.Tags.Tag"));
    if (all[kit::kAddressTag] == ctx.address && all[kit::kStackTag] == ctx.stack) return id;
  }
  return std::string();
}

Status ListRecordSets(const kit::JsonCall& call, const std::string& zone, const std::string& start_name,
                      const std::string& start_type, int max_items,
                      const std::function<bool(const nlohmann::json&)>& visit) {
  nlohmann::json body = {{"Id", zone}, {"MaxItems", std::to_string(max_items)}};
  if (!start_name.empty()) body["StartRecordName"] = start_name;
  if (!start_type.empty()) body["StartRecordType"] = start_type;
  std::set<std::string> seen;
  for (;;) {
    auto page = call("us-east-1", "ListResourceRecordSets", body);
    if (!page.ok()) return page.error();
    nlohmann::json sets = kit::JsonAt(*page, "ResourceRecordSets.ResourceRecordSet");
    if (sets.is_object()) sets = nlohmann::json::array({sets});
    bool fresh = false;
    for (const auto& rs : sets.is_array() ? sets : nlohmann::json::array()) {
      std::string key = kit::AttrText(rs, "Name") + "|" + kit::AttrText(rs, "Type") + "|" +
                        kit::AttrText(rs, "SetIdentifier");
      if (!seen.insert(key).second) continue;
      fresh = true;
      if (!visit(rs)) return {};
    }
    if (kit::AttrText(*page, "IsTruncated") != "true" || !fresh) return {};
    body["StartRecordName"] = kit::AttrText(*page, "NextRecordName");
    body["StartRecordType"] = kit::AttrText(*page, "NextRecordType");
    if (auto next = kit::AttrText(*page, "NextRecordIdentifier"); !next.empty())
      body["StartRecordIdentifier"] = next;
    else
      body.erase("StartRecordIdentifier");
  }
}

}  // namespace infra::aws::route53

namespace infra::aws {

void AddRoute53Types(TypeRegistry& registry) {
  AddRoute53ZoneTypes(registry);
  AddRoute53HealthCheckTypes(registry);
  AddRoute53RecordTypes(registry);
}

}  // namespace infra::aws
