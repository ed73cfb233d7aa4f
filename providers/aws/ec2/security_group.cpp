// aws_security_group (no inline rules). As Terraform does, egress is
// managed by egress rule resources only, so the allow-all rule AWS adds to
// a VPC group is revoked after the create, and after adopting a group whose
// create may have been cut off before that.
#include <cctype>
#include <string_view>

#include "providers/aws/ec2/ec2_service.h"

namespace infra::aws::ec2 {
namespace {

using provider::Attributes;
using provider::AttrType;
using provider::OperationContext;
using namespace schema;

constexpr const char* kDefaultDescription = "Managed by infra";

// A name for a security group the user did not name: stack and address,
// kept to the characters EC2 allows in group names.
std::string GeneratedName(const OperationContext& ctx) {
  std::string name = "infra-" + ctx.stack + "-" + ctx.address, out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) ||
        std::string_view("._-:/()#,@[]+=&;{}!$* ").find(c) != std::string_view::npos)
      out += c;
  return out.substr(0, 255);
}

// Already revoked (or gone) is success. Only unfinished creates are
// adopted, so no managed egress rule identical to it can exist yet.
Status RevokeDefaultEgress(const kit::Call& call, const std::string& region, const std::string& id,
                           const Attributes& desired) {
  if (Str(desired, "vpc_id").empty()) return {};
  QueryParams revoke = {{"GroupId", id},
                        {"IpPermissions.1.IpProtocol", "-1"},
                        {"IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"}};
  Status st = Done(call(region, "RevokeSecurityGroupEgress", revoke));
  if (!st.ok() && !kit::IsNotFound(call.service(), st.error())) return st;
  return {};
}

}  // namespace

kit::Spec SecurityGroupSpec() {
  kit::Spec spec{Schema("aws_security_group", {
      OptionalComputed("name", kForceNew),
      Optional("description", kForceNew, AttrType::kString, kDefaultDescription),
      OptionalComputed("vpc_id", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  }), Service("security-group"), {
      {"name", "GroupName", "", kit::Conv::kString, kit::kRead},  // or generated: create_params
      {"description", "GroupDescription", "", kit::Conv::kString, kit::kCreate | kit::kRead, kDefaultDescription},
      {"vpc_id", "VpcId"},
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
  }, {"CreateSecurityGroup", "groupId"}};
  spec.del = {"DeleteSecurityGroup"};
  spec.read = ReadByIds("DescribeSecurityGroups", "GroupId", "securityGroupInfo", "groupId", "group-id");
  spec.hooks.create_params = [](const OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    std::string name = Str(desired, "name");
    p.insert(p.begin(), {"GroupName", name.empty() ? GeneratedName(ctx) : name});
  };
  spec.hooks.after_create = [](const kit::Call& call, const OperationContext& ctx, const std::string& id,
                               const Attributes& desired) { return RevokeDefaultEgress(call, ctx.region, id, desired); };
  spec.hooks.after_adopt = [](const kit::Call& call, const OperationContext& ctx, const Attributes& found,
                              const Attributes& desired) {
    return RevokeDefaultEgress(call, ctx.region, Str(found, "id"), desired);
  };
  spec.hooks.on_read = [](pugi::xml_node, const std::string& region, Attributes& a) {
    a["arn"] = Arn(region, Str(a, "owner_id"), "security-group", Str(a, "id"));
  };
  return spec;
}

}  // namespace infra::aws::ec2
