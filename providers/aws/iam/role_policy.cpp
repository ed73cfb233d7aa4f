// aws_iam_role_policy (an inline policy; id "<role>:<name>", Terraform's
// import form) and aws_iam_role_policy_attachment (a managed policy
// attached to a role; id "<role>/<policy arn>"). Neither has tags: a
// create that may have happened is adopted by its id, which follows from
// the configuration.
#include <memory>

#include "providers/aws/iam/iam_service.h"
#include "providers/aws/iam/iam_types.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;

// "<role><sep><rest>" -> {role, rest}; role names never hold ':' or '/'.
std::pair<std::string, std::string> Split(const std::string& id, char sep) {
  size_t at = id.find(sep);
  if (at == std::string::npos) return {id, ""};
  return {id.substr(0, at), id.substr(at + 1)};
}

kit::Spec InlineSpec() {
  auto s = iam::Schema("aws_iam_role_policy", {
      Required("role", kForceNew),
      Required("name", kForceNew),
      iam::Document("policy"),
      Computed("id"),
  });
  s.taggable = false;
  kit::Spec spec{std::move(s), iam::Service(), {
      {"role", "RoleName"},
      {"name", "PolicyName"},
      {"policy", "PolicyDocument", "", kit::Conv::kJsonDocument},
  }, {"PutRolePolicy", ""}};
  spec.updates = {{{"policy"}, "PutRolePolicy"}};  // the id names role and policy
  spec.del = {"DeleteRolePolicy", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetRolePolicy", "", "GetRolePolicyResult"};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.hooks.id_of = [](const Attributes& d, pugi::xml_node) {
    return kit::AttrText(d, "role") + ":" + kit::AttrText(d, "name");
  };
  spec.hooks.id_params = [](const std::string& id) {
    auto [role, name] = Split(id, ':');
    return QueryParams{{"RoleName", role}, {"PolicyName", name}};
  };
  return spec;
}

kit::Spec AttachmentSpec() {
  auto s = iam::Schema("aws_iam_role_policy_attachment", {
      Required("role", kForceNew),
      Required("policy_arn", kForceNew),
      Computed("id"),
  });
  s.taggable = false;
  kit::Spec spec{std::move(s), iam::Service(), {
      {"role", "RoleName", "-"},
      {"policy_arn", "PolicyArn", "-"},
  }, {"AttachRolePolicy", ""}};
  spec.del = {"DetachRolePolicy", {}};
  // The role's attached policies, one call per role: the attachment exists
  // if its policy is in the list (on_read drops it otherwise).
  spec.read = {kit::ReadPolicy::Kind::kPerId, "ListAttachedRolePolicies", "", "ListAttachedRolePoliciesResult"};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.hooks.id_of = [](const Attributes& d, pugi::xml_node) {
    return kit::AttrText(d, "role") + "/" + kit::AttrText(d, "policy_arn");
  };
  spec.hooks.id_params = [](const std::string& id) {
    auto [role, arn] = Split(id, '/');
    return QueryParams{{"RoleName", role}, {"PolicyArn", arn}};
  };
  spec.hooks.read_params = [](const std::string& id) { return QueryParams{{"RoleName", Split(id, '/').first}}; };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    auto [role, arn] = Split(kit::AttrText(a, "id"), '/');
    bool attached = false;
    for (pugi::xml_node m : XmlItems(item, "AttachedPolicies")) attached = attached || XmlText(m, "PolicyArn") == arn;
    a = attached ? Attributes{{"id", a["id"]}, {"role", role}, {"policy_arn", arn}} : Attributes();
  };
  return spec;
}

}  // namespace

void AddIamRolePolicyTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::SpecType>(p.client(), InlineSpec()));
  p.Add(std::make_unique<kit::SpecType>(p.client(), AttachmentSpec()));
}

}  // namespace infra::aws
