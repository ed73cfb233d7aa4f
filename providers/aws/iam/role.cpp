// aws_iam_role: a role with its assume-role policy document. The id is the
// role name; `force_detach_policies` detaches managed and deletes inline
// policies before the delete, as Terraform does.
#include <memory>

#include "providers/aws/iam/iam_service.h"
#include "providers/aws/iam/iam_types.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

// Managed policies detached, inline ones deleted (force_detach_policies).
Status DetachAll(const kit::Call& call, const std::string& region, const std::string& role) {
  auto attached = call(region, "ListAttachedRolePolicies", {{"RoleName", role}});
  if (!attached.ok()) return attached.error();
  for (pugi::xml_node m : XmlItems(attached->root, "ListAttachedRolePoliciesResult/AttachedPolicies"))
    if (auto r = call(region, "DetachRolePolicy", {{"RoleName", role}, {"PolicyArn", XmlText(m, "PolicyArn")}}); !r.ok())
      return r.error();
  auto inline_names = call(region, "ListRolePolicies", {{"RoleName", role}});
  if (!inline_names.ok()) return inline_names.error();
  for (pugi::xml_node m : XmlItems(inline_names->root, "ListRolePoliciesResult/PolicyNames"))
    if (auto r = call(region, "DeleteRolePolicy", {{"RoleName", role}, {"PolicyName", m.child_value()}}); !r.ok())
      return r.error();
  return {};
}

kit::Spec RoleSpec() {
  auto s = iam::Schema("aws_iam_role", {
      iam::Document("assume_role_policy"),
      Optional("path", kForceNew, AttrType::kString, "/"),
      Optional("description"),
      Range(Optional("max_session_duration", kNone, AttrType::kNumber, 3600), 3600, 43200),
      Optional("permissions_boundary"),
      Optional("force_detach_policies", kNone, AttrType::kBool),  // no default: an import must not differ
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("unique_id"),
      Computed("create_date"),
  });
  iam::AddNameAttributes(s);
  kit::Spec spec{std::move(s), iam::Service("TagRole", "UntagRole"), {
      {"name", "RoleName", "", kit::Conv::kString, kit::kRead},
      {"assume_role_policy", "AssumeRolePolicyDocument", "", kit::Conv::kJsonDocument},
      {"path", "Path"},
      {"description", "Description"},
      {"max_session_duration", "MaxSessionDuration", "", kit::Conv::kNumber},
      {"permissions_boundary", "PermissionsBoundary", "PermissionsBoundary/PermissionsBoundaryArn"},
      {"arn", "", "Arn", kit::Conv::kString, kit::kRead},
      {"unique_id", "", "RoleId", kit::Conv::kString, kit::kRead},
      {"create_date", "", "CreateDate", kit::Conv::kString, kit::kRead},
  }, {"CreateRole", "CreateRoleResult/Role/RoleName"}};
  spec.updates = {
      {{"assume_role_policy"}, "UpdateAssumeRolePolicy", {}, {{"assume_role_policy", "PolicyDocument"}}},
      {{"description", "max_session_duration"}, "UpdateRole"},
      {{"permissions_boundary"}, "PutRolePermissionsBoundary", {}, {}, {}, "DeleteRolePermissionsBoundary"},
  };
  spec.del = {"DeleteRole", {"DeleteConflict"}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetRole", "RoleName", "GetRoleResult/Role"};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    iam::AddName(p, "RoleName", ctx, desired);
  };
  spec.hooks.before_delete = [](const kit::Call& call, const provider::OperationContext&, const Attributes& prior) {
    auto force = prior.find("force_detach_policies");
    if (force == prior.end() || !force->is_boolean() || !force->get<bool>()) return Status();
    auto id = prior.find("id");
    return id != prior.end() && id->is_string() ? DetachAll(call, "us-east-1", id->get<std::string>()) : Status();
  };
  // force_detach_policies is an instruction, not readable: keep it out of
  // reads so refresh keeps the configured value.
  return spec;
}

// Crash recovery by name: a role made from name_prefix is looked up by the
// name its create asked for (the same token gives the same name).
class RoleType : public kit::SpecType {
 public:
  using SpecType::SpecType;
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    Attributes named = desired.is_object() ? desired : Attributes::object();
    named["name"] = iam::NameOf(ctx, desired);
    return SpecType::FindByAddress(ctx, named);
  }
};

}  // namespace

void AddIamRoleTypes(TypeRegistry& p) { p.Add(std::make_unique<RoleType>(p.client(), RoleSpec())); }

}  // namespace infra::aws
