// Shared IAM pieces (see iam_service.h).
#include "providers/aws/iam/iam_service.h"

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/tags.h"
#include "providers/aws/sdk/xml_reader.h"

#include <fmt/format.h>

namespace infra::aws::iam {

kit::Service Service(std::string tag_action, std::string untag_action) {
  kit::Service s;
  s.name = "iam";
  s.protocol = kit::Protocol::kQuery;
  if (!tag_action.empty())
    s.tags = {kit::Tagging::Style::kMemberTags, "", std::move(tag_action), std::move(untag_action)};
  return s;
}

provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "iam";
  s.scope = provider::Scope::kGlobal;
  // IAM propagation: other services may refuse a new role or policy for
  // seconds to about two minutes; what depends on it is retried that long.
  s.not_found_grace = std::chrono::seconds(120);
  s.attributes = std::move(attributes);
  return s;
}

provider::AttributeSchema Document(std::string name, unsigned flags) {
  auto a = schema::Attr(std::move(name), provider::AttrType::kAny, provider::AttrMode::kRequired, flags);
  a.equality = provider::Equality::kJsonDocument;
  return a;
}

std::string PrefixedName(const std::string& prefix, const provider::OperationContext& ctx) {
  return kit::PrefixedName(prefix, ctx);
}

void AddNameAttributes(provider::ResourceSchema& s) {
  s.attributes.push_back(schema::OptionalComputed("name", schema::kForceNew));
  s.attributes.push_back(schema::Optional("name_prefix", schema::kForceNew));
  s.checks.push_back({provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}});
}

std::string NameOf(const provider::OperationContext& ctx, const provider::Attributes& desired) {
  std::string name = kit::AttrText(desired, "name"), prefix = kit::AttrText(desired, "name_prefix");
  return name.empty() ? PrefixedName(prefix.empty() ? "infra-" : prefix, ctx) : name;
}

void AddName(QueryParams& p, const std::string& name_param, const provider::OperationContext& ctx,
             const provider::Attributes& desired) {
  p.emplace_back(name_param, NameOf(ctx, desired));
}

Result<bool> TaggedAsOurs(const kit::Call& call, const provider::OperationContext& ctx, const std::string& action,
                          const std::string& param, const std::string& arn, const std::string& item) {
  auto r = call("us-east-1", action, {{param, arn}});
  if (!r.ok() && kit::IsNotFound(call.service(), r.error())) return false;
  if (!r.ok()) return r.error();
  pugi::xml_node found = XmlPath(r->root, item);
  return kit::ReadTag(found, kit::Protocol::kQuery, kit::kAddressTag) == ctx.address &&
         kit::ReadTag(found, kit::Protocol::kQuery, kit::kStackTag) == ctx.stack;
}

}  // namespace infra::aws::iam
