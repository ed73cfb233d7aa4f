// aws_vpc_security_group_ingress_rule / _egress_rule: one rule each, with
// its own sgr- id; every field but the group is changed in place through
// ModifySecurityGroupRules (all fields at once).
#include <fmt/format.h>

#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {
namespace {

using provider::ApplyResult;
using provider::Attributes;
using provider::AttrType;
using provider::OperationContext;
using namespace schema;

// `attrs[key]` (a number or its text) as text; "" when absent or null.
std::string NumText(const Attributes& attrs, const std::string& key) {
  auto v = Get(attrs, key);
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return std::to_string(static_cast<long long>(v.get<double>()));
  return v.is_string() ? v.get<std::string>() : std::string();
}

// The rule's sources: attribute, IpPermissions list, item key, and the
// ModifySecurityGroupRules name.
struct Source { const char* attr; const char* list; const char* key; const char* modify; };
constexpr Source kSources[] = {
    {"cidr_ipv4", "IpRanges", "CidrIp", "CidrIpv4"},
    {"cidr_ipv6", "Ipv6Ranges", "CidrIpv6", "CidrIpv6"},
    {"prefix_list_id", "PrefixListIds", "PrefixListId", "PrefixListId"},
    {"referenced_security_group_id", "Groups", "GroupId", "ReferencedGroupId"},
};

// Every field but the group, in place.
Status Modify(const kit::Call& call, const std::string& region, const std::string& id, const Attributes& desired) {
  const std::string pre = "SecurityGroupRule.1.SecurityGroupRule.";
  std::string from = NumText(desired, "from_port"), to = NumText(desired, "to_port");
  QueryParams p = {{"GroupId", Str(desired, "security_group_id")},
                   {"SecurityGroupRule.1.SecurityGroupRuleId", id},
                   {pre + "IpProtocol", Str(desired, "ip_protocol")},
                   {pre + "FromPort", from.empty() ? "-1" : from},
                   {pre + "ToPort", to.empty() ? "-1" : to}};
  for (const auto& s : kSources)
    if (auto v = Str(desired, s.attr); !v.empty()) p.emplace_back(pre + s.modify, v);
  if (auto v = Str(desired, "description"); !v.empty()) p.emplace_back(pre + "Description", v);
  return Done(call(region, "ModifySecurityGroupRules", p));
}

kit::Spec RuleSpec(bool egress) {
  const std::string type = egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
  const char* direction = egress ? "Egress" : "Ingress";
  kit::Spec spec{Schema(type, {
      Required("security_group_id", kForceNew),
      Required("ip_protocol"),
      Optional("from_port", kNone, AttrType::kNumber),
      Optional("to_port", kNone, AttrType::kNumber),
      Optional("cidr_ipv4", kCidr),
      Optional("cidr_ipv6"),
      Optional("prefix_list_id"),
      Optional("referenced_security_group_id"),
      Optional("description"),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("security_group_rule_id"),
  }), Service("security-group-rule"), {
      {"security_group_id", "GroupId"},
      {"ip_protocol", "IpPermissions.1.IpProtocol", "ipProtocol"},
      {"from_port", "IpPermissions.1.FromPort", "fromPort", kit::Conv::kNumber},
      {"to_port", "IpPermissions.1.ToPort", "toPort", kit::Conv::kNumber},
      {"cidr_ipv4", "", "cidrIpv4", kit::Conv::kString, kit::kRead},  // sources: create_params
      {"cidr_ipv6", "", "cidrIpv6", kit::Conv::kString, kit::kRead},
      {"prefix_list_id", "", "prefixListId", kit::Conv::kString, kit::kRead},
      {"referenced_security_group_id", "", "referencedGroupInfo/groupId", kit::Conv::kString, kit::kRead},
      {"description", "", "description", kit::Conv::kString, kit::kRead},
      {"security_group_rule_id", "", "securityGroupRuleId", kit::Conv::kString, kit::kRead},
  }, {fmt::format("AuthorizeSecurityGroup{}", direction), "securityGroupRuleSet/item/securityGroupRuleId"}};
  spec.updates = {{{"ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6", "prefix_list_id",
                    "referenced_security_group_id", "description"}, "", {}, {}, {}, {},
                   [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes&,
                      const Attributes& desired) { return Modify(call, region, id, desired); }}};
  spec.del = {fmt::format("RevokeSecurityGroup{}", direction)};
  spec.read = ReadByIds("DescribeSecurityGroupRules", "SecurityGroupRuleId", "securityGroupRuleSet",
                        "securityGroupRuleId", "security-group-rule-id");
  spec.adopt.filters = [](const Attributes& desired) {
    return std::vector<QueryFilter>{{"group-id", {Str(desired, "security_group_id")}}};
  };
  // Each source with the rule's description.
  spec.hooks.create_params = [](const OperationContext&, const Attributes& desired, QueryParams& p) {
    std::string desc = Str(desired, "description");
    for (const auto& s : kSources)
      if (auto v = Str(desired, s.attr); !v.empty()) {
        p.emplace_back(fmt::format("IpPermissions.1.{}.1.{}", s.list, s.key), v);
        if (!desc.empty()) p.emplace_back(fmt::format("IpPermissions.1.{}.1.Description", s.list), desc);
      }
  };
  spec.hooks.delete_params = [](const Attributes& prior) {
    return QueryParams{{"GroupId", Str(prior, "security_group_id")}, {"SecurityGroupRuleId.1", Str(prior, "id")}};
  };
  spec.hooks.on_read = [egress](pugi::xml_node item, const std::string& region, Attributes& a) {
    if (XmlBool(item, "isEgress") != egress) {
      a = nullptr;
      return;
    }
    if (Str(a, "ip_protocol") == "-1") a["from_port"] = a["to_port"] = nullptr;
    std::string arn = XmlText(item, "securityGroupRuleArn");
    a["arn"] = arn.empty() ? Arn(region, XmlText(item, "groupOwnerId"), "security-group-rule", Str(a, "id")) : arn;
  };
  return spec;
}

// Some EC2 implementations (moto) drop the description of a rule that
// references a group; setting it again in place makes it stick.
class RuleType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    auto done = SpecType::Create(ctx, desired);
    if (!done.ok() || done->pending || Str(desired, "description").empty() ||
        !Get(done->attributes, "description").is_null())
      return done;
    std::string id = Str(done->attributes, "id");
    if (auto st = Modify(call(), ctx.region, id, desired); !st.ok()) return st.error();
    return Finish(ctx.region, id, desired);
  }

  // The same for a rule adopted after a lost reply (of Authorize*, or of the
  // modify after it): else the next plan sets the description (the fault
  // campaign). ModifySecurityGroupRules is idempotent.
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    auto found = SpecType::FindByAddress(ctx, desired);
    if (!found.ok() || !*found || Str(desired, "description").empty() || !Get(**found, "description").is_null())
      return found;
    if (auto st = Modify(call(), ctx.region, Str(**found, "id"), desired); !st.ok()) return st.error();
    (**found)["description"] = Get(desired, "description");
    return found;
  }
};

}  // namespace

std::unique_ptr<kit::SpecType> NewSecurityGroupRuleType(std::shared_ptr<AwsClient> client, bool egress) {
  return std::make_unique<RuleType>(std::move(client), RuleSpec(egress));
}

}  // namespace infra::aws::ec2
