// Shared IAM pieces (see iam_service.h).
#include "providers/aws/iam/iam_service.h"

#include "providers/aws/kit/generated_name.h"

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

void AddName(QueryParams& p, const std::string& name_param, const provider::OperationContext& ctx,
             const provider::Attributes& desired) {
  auto text = [&](const char* key) {
    auto it = desired.find(key);
    return it != desired.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string name = text("name"), prefix = text("name_prefix");
  if (name.empty()) name = PrefixedName(prefix.empty() ? "infra-" : prefix, ctx);
  p.emplace_back(name_param, name);
}

}  // namespace infra::aws::iam
