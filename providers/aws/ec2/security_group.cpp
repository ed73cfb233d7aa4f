// aws_security_group (no inline rules; the default egress rule is removed
// as Terraform does) and aws_vpc_security_group_ingress_rule / _egress_rule.
#include <fmt/format.h>

#include <memory>

#include "providers/aws/ec2/ec2_types.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/ec2/ec2_resource.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using provider::ApplyResult;
using provider::Attributes;
using provider::AttrType;
using provider::OperationContext;
using namespace schema;

provider::ResourceSchema SecurityGroupSchema() {
  provider::ResourceSchema s;
  s.type = "aws_security_group";
  s.service = "ec2";
  s.attributes = {
      OptionalComputed("name", kForceNew),
      Optional("description", kForceNew, AttrType::kString, "Managed by infra"),
      OptionalComputed("vpc_id", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  };
  return s;
}

provider::ResourceSchema RuleSchema(const std::string& type) {
  provider::ResourceSchema s;
  s.type = type;
  s.service = "ec2";
  s.attributes = {
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
  };
  return s;
}


Status Done(const Result<Ec2Reply>& r) { return r.ok() ? Status() : Status(r.error()); }

// A name for a security group the user did not name: stack and address,
// kept to the characters EC2 allows in group names.
std::string GeneratedName(const OperationContext& ctx) {
  std::string name = "infra-" + ctx.stack + "-" + ctx.address, out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-:/()#,@[]+=&;{}!$* ").find(c) !=
                                                           std::string_view::npos)
      out += c;
  return out.substr(0, 255);
}

class SecurityGroupType : public Ec2ResourceType {
 public:
  explicit SecurityGroupType(std::shared_ptr<AwsClient> c)
      : Ec2ResourceType(std::move(c), SecurityGroupSchema(),
                        {"DescribeSecurityGroups", "GroupId", "group-id", "securityGroupInfo", "groupId"}) {}

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    std::string name = Str(desired, "name").empty() ? GeneratedName(ctx) : Str(desired, "name");
    std::string description = Str(desired, "description").empty() ? "Managed by infra" : Str(desired, "description");
    QueryParams p = {{"GroupName", name}, {"GroupDescription", description}};
    if (auto vpc = Str(desired, "vpc_id"); !vpc.empty()) p.emplace_back("VpcId", vpc);
    AddEc2TagSpecification(p, "security-group", InfraTags(ctx, Field(desired, "tags")));
    auto r = Ec2Call(client(), ctx.region, "CreateSecurityGroup", p, /*idempotent=*/false);
    if (!r.ok()) return r.error();
    std::string id = XmlText(r->root, "groupId");
    if (auto st = RevokeDefaultEgress(ctx.region, id, desired); !st.ok()) return st.error();
    return Finish(ctx.region, id, desired);
  }

  // Crash recovery adopts a group whose create may have been cut off before
  // the default egress rule was revoked; revoke it now, or an egress rule
  // resource identical to it fails with InvalidPermission.Duplicate. Only
  // unfinished creates are adopted, so no managed rule can exist yet.
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    auto found = Ec2ResourceType::FindByAddress(ctx, desired);
    if (!found.ok() || !found->has_value()) return found;
    if (auto st = RevokeDefaultEgress(ctx.region, Str(**found, "id"), desired); !st.ok()) return st.error();
    return found;
  }

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    std::string id = Str(prior, "id");
    if (auto st = UpdateTags(client(), ctx.region, id, Field(prior, "tags"), Field(desired, "tags")); !st.ok())
      return st.error();
    return Finish(ctx.region, id, desired);
  }

 protected:
  Status DeleteOnce(const OperationContext& ctx, const Attributes& prior) override {
    return Done(Ec2Call(client(), ctx.region, "DeleteSecurityGroup", {{"GroupId", Str(prior, "id")}}));
  }

  // As Terraform does: egress is managed by egress rule resources only, so
  // the allow-all rule AWS adds to a VPC group is removed (already gone = ok).
  Status RevokeDefaultEgress(const std::string& region, const std::string& id, const Attributes& desired) {
    if (Str(desired, "vpc_id").empty()) return {};
    QueryParams revoke = {{"GroupId", id},
                          {"IpPermissions.1.IpProtocol", "-1"},
                          {"IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"}};
    Status st = Done(Ec2Call(client(), region, "RevokeSecurityGroupEgress", revoke));
    if (!st.ok() && !IsNotFound(st.error())) return st;
    return {};
  }

  Attributes FromItem(pugi::xml_node item, const std::string& region) const override {
    std::string id = XmlText(item, "groupId"), owner = XmlText(item, "ownerId");
    return {{"id", id},
            {"name", XmlText(item, "groupName")},
            {"description", XmlText(item, "groupDescription")},
            {"vpc_id", OrNull(XmlText(item, "vpcId"))},
            {"owner_id", owner},
            {"arn", Ec2Arn(region, owner, "security-group", id)},
            {"tags", UserTags(item)}};
  }
};

// aws_vpc_security_group_ingress_rule / _egress_rule: one rule each, with
// its own sgr- id; every field but the group is changed in place through
// ModifySecurityGroupRules.
class SecurityGroupRuleType : public Ec2ResourceType {
 public:
  SecurityGroupRuleType(std::shared_ptr<AwsClient> c, bool egress)
      : Ec2ResourceType(std::move(c),
                        RuleSchema(egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule"),
                        {"DescribeSecurityGroupRules", "SecurityGroupRuleId", "security-group-rule-id",
                         "securityGroupRuleSet", "securityGroupRuleId"}),
        egress_(egress) {}

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    QueryParams p = {{"GroupId", Str(desired, "security_group_id")},
                     {"IpPermissions.1.IpProtocol", Str(desired, "ip_protocol")}};
    if (auto f = NumText(desired, "from_port"); !f.empty()) p.emplace_back("IpPermissions.1.FromPort", f);
    if (auto t = NumText(desired, "to_port"); !t.empty()) p.emplace_back("IpPermissions.1.ToPort", t);
    std::string desc = Str(desired, "description");
    auto source = [&](const char* list, const char* key, const char* attr) {
      if (auto v = Str(desired, attr); !v.empty()) {
        p.emplace_back(fmt::format("IpPermissions.1.{}.1.{}", list, key), v);
        if (!desc.empty()) p.emplace_back(fmt::format("IpPermissions.1.{}.1.Description", list), desc);
      }
    };
    source("IpRanges", "CidrIp", "cidr_ipv4");
    source("Ipv6Ranges", "CidrIpv6", "cidr_ipv6");
    source("PrefixListIds", "PrefixListId", "prefix_list_id");
    source("Groups", "GroupId", "referenced_security_group_id");
    AddEc2TagSpecification(p, "security-group-rule", InfraTags(ctx, Field(desired, "tags")));
    auto r = Ec2Call(client(), ctx.region, egress_ ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress",
                     p, /*idempotent=*/false);
    if (!r.ok()) return r.error();
    std::string id = XmlText(r->root, "securityGroupRuleSet/item/securityGroupRuleId");
    auto done = Finish(ctx.region, id, desired);
    // Some EC2 implementations (moto) drop the description of a rule that
    // references a group; setting it again in place makes it stick.
    if (done.ok() && !done->pending && !desc.empty() && Field(done->attributes, "description").is_null()) {
      if (auto st = Modify(ctx.region, id, desired); !st.ok()) return st.error();
      return Finish(ctx.region, id, desired);
    }
    return done;
  }

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    std::string id = Str(prior, "id");
    if (RuleChanged(prior, desired))
      if (auto st = Modify(ctx.region, id, desired); !st.ok()) return st.error();
    if (auto st = UpdateTags(client(), ctx.region, id, Field(prior, "tags"), Field(desired, "tags")); !st.ok())
      return st.error();
    return Finish(ctx.region, id, desired);
  }

 protected:
  std::vector<QueryFilter> AddressFilters(const OperationContext& ctx, const Attributes& desired) const override {
    auto f = Ec2ResourceType::AddressFilters(ctx, desired);
    f.push_back({"group-id", {Str(desired, "security_group_id")}});
    return f;
  }

  Status DeleteOnce(const OperationContext& ctx, const Attributes& prior) override {
    QueryParams p = {{"GroupId", Str(prior, "security_group_id")}, {"SecurityGroupRuleId.1", Str(prior, "id")}};
    return Done(Ec2Call(client(), ctx.region, egress_ ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", p));
  }

  Attributes FromItem(pugi::xml_node item, const std::string& region) const override {
    if (XmlBool(item, "isEgress") != egress_) return nullptr;
    std::string id = XmlText(item, "securityGroupRuleId"), proto = XmlText(item, "ipProtocol");
    std::string arn = XmlText(item, "securityGroupRuleArn");
    auto port = [&](const char* key) -> nlohmann::json {
      std::string v = XmlText(item, key);
      if (v.empty() || proto == "-1") return nullptr;
      return std::stoll(v);
    };
    return {{"id", id},
            {"security_group_rule_id", id},
            {"security_group_id", XmlText(item, "groupId")},
            {"ip_protocol", proto},
            {"from_port", port("fromPort")},
            {"to_port", port("toPort")},
            {"cidr_ipv4", OrNull(XmlText(item, "cidrIpv4"))},
            {"cidr_ipv6", OrNull(XmlText(item, "cidrIpv6"))},
            {"prefix_list_id", OrNull(XmlText(item, "prefixListId"))},
            {"referenced_security_group_id", OrNull(XmlText(item, "referencedGroupInfo/groupId"))},
            {"description", OrNull(XmlText(item, "description"))},
            {"arn", arn.empty() ? Ec2Arn(region, XmlText(item, "groupOwnerId"), "security-group-rule", id) : arn},
            {"tags", UserTags(item)}};
  }

 private:
  // Every field but the group, in place.
  Status Modify(const std::string& region, const std::string& id, const Attributes& desired) {
    const std::string pre = "SecurityGroupRule.1.SecurityGroupRule.";
    std::string from = NumText(desired, "from_port"), to = NumText(desired, "to_port");
    QueryParams p = {{"GroupId", Str(desired, "security_group_id")},
                     {"SecurityGroupRule.1.SecurityGroupRuleId", id},
                     {pre + "IpProtocol", Str(desired, "ip_protocol")},
                     {pre + "FromPort", from.empty() ? "-1" : from},
                     {pre + "ToPort", to.empty() ? "-1" : to}};
    for (auto [attr, key] : {std::pair{"cidr_ipv4", "CidrIpv4"}, std::pair{"cidr_ipv6", "CidrIpv6"},
                             std::pair{"prefix_list_id", "PrefixListId"},
                             std::pair{"referenced_security_group_id", "ReferencedGroupId"},
                             std::pair{"description", "Description"}})
      if (auto v = Str(desired, attr); !v.empty()) p.emplace_back(pre + key, v);
    return Done(Ec2Call(client(), region, "ModifySecurityGroupRules", p));
  }

  static bool RuleChanged(const Attributes& prior, const Attributes& desired) {
    for (const char* k : {"ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6", "prefix_list_id",
                          "referenced_security_group_id", "description"})
      if (Field(prior, k) != Field(desired, k)) return true;
    return false;
  }

  bool egress_;
};

}  // namespace

void AddSecurityGroupTypes(TypeRegistry& p) {
  p.Add(std::make_unique<SecurityGroupType>(p.client()));
  p.Add(std::make_unique<SecurityGroupRuleType>(p.client(), /*egress=*/false));
  p.Add(std::make_unique<SecurityGroupRuleType>(p.client(), /*egress=*/true));
}

}  // namespace infra::aws
