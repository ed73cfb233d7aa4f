// aws_vpc, aws_subnet and aws_internet_gateway (with its VPC attachment).
#include <fmt/format.h>

#include <memory>

#include "providers/aws/ec2/ec2_types.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/ec2/ec2_resource.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using provider::ApplyResult;
using provider::Attributes;
using provider::AttrType;
using provider::OperationContext;
using namespace schema;

provider::ResourceSchema VpcSchema() {
  provider::ResourceSchema s;
  s.type = "aws_vpc";
  s.service = "ec2";
  s.attributes = {
      Required("cidr_block", kForceNew | kCidr),
      Optional("instance_tenancy", kForceNew, AttrType::kString, "default"),
      Optional("enable_dns_support", kNone, AttrType::kBool, true),
      Optional("enable_dns_hostnames", kNone, AttrType::kBool, false),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
      Computed("default_route_table_id"),
      Computed("main_route_table_id"),
      Computed("default_security_group_id"),
      Computed("default_network_acl_id"),
      Computed("dhcp_options_id"),
  };
  return s;
}

provider::ResourceSchema InternetGatewaySchema() {
  provider::ResourceSchema s;
  s.type = "aws_internet_gateway";
  s.service = "ec2";
  s.attributes = {
      Optional("vpc_id"),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  };
  return s;
}


Status ModifyVpcFlag(AwsClient* c, const std::string& region, const std::string& id, const char* attr, bool on) {
  QueryParams p = {{"VpcId", id}, {fmt::format("{}.Value", attr), on ? "true" : "false"}};
  auto r = Ec2Call(c, region, "ModifyVpcAttribute", p);
  return r.ok() ? Status() : Status(r.error());
}

class VpcType : public Ec2ResourceType {
 public:
  explicit VpcType(std::shared_ptr<AwsClient> c)
      : Ec2ResourceType(std::move(c), VpcSchema(), {"DescribeVpcs", "VpcId", "vpc-id", "vpcSet", "vpcId"}) {}

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    QueryParams p = {{"CidrBlock", Str(desired, "cidr_block")}};
    if (auto t = Str(desired, "instance_tenancy"); !t.empty()) p.emplace_back("InstanceTenancy", t);
    AddEc2TagSpecification(p, "vpc", InfraTags(ctx, Field(desired, "tags")));
    auto r = Ec2Call(client(), ctx.region, "CreateVpc", p, /*idempotent=*/false);
    if (!r.ok()) return r.error();
    std::string id = XmlText(r->root, "vpc/vpcId");
    if (auto st = SetFlags(ctx.region, id, nullptr, desired); !st.ok()) return st.error();
    return Finish(ctx.region, id, desired);
  }

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    std::string id = Str(prior, "id");
    if (auto st = SetFlags(ctx.region, id, &prior, desired); !st.ok()) return st.error();
    if (auto st = UpdateTags(client(), ctx.region, id, Field(prior, "tags"), Field(desired, "tags")); !st.ok())
      return st.error();
    return Finish(ctx.region, id, desired);
  }

 protected:
  Status DeleteOnce(const OperationContext& ctx, const Attributes& prior) override {
    auto r = Ec2Call(client(), ctx.region, "DeleteVpc", {{"VpcId", Str(prior, "id")}});
    return r.ok() ? Status() : Status(r.error());
  }

  Attributes FromItem(pugi::xml_node item, const std::string& region) const override {
    std::string id = XmlText(item, "vpcId"), owner = XmlText(item, "ownerId");
    return {{"id", id},
            {"cidr_block", XmlText(item, "cidrBlock")},
            {"instance_tenancy", XmlText(item, "instanceTenancy")},
            {"owner_id", owner},
            {"arn", Ec2Arn(region, owner, "vpc", id)},
            {"dhcp_options_id", OrNull(XmlText(item, "dhcpOptionsId"))},
            {"tags", UserTags(item)}};
  }

  // Per VPC: the two DNS attributes (no batch API); for all VPCs at once:
  // main route table, default security group and default network ACL.
  Status Enrich(const std::string& region, std::map<std::string, Attributes>& found) override {
    if (found.empty()) return {};
    std::vector<std::string> ids;
    for (auto& [id, a] : found) {
      ids.push_back(id);
      for (auto [attr, key] : {std::pair{"enableDnsSupport", "enable_dns_support"},
                               std::pair{"enableDnsHostnames", "enable_dns_hostnames"}}) {
        auto r = Ec2Call(client(), region, "DescribeVpcAttribute", {{"VpcId", id}, {"Attribute", attr}});
        if (!r.ok()) return r.error();
        a[key] = XmlBool(r->root, std::string(attr) + "/value");
      }
      a["main_route_table_id"] = a["default_route_table_id"] = a["default_security_group_id"] =
          a["default_network_acl_id"] = nullptr;
    }
    struct Lookup { const char* action; const char* filter; const char* value; const char* set;
                    const char* id_field; std::vector<const char*> keys; };
    const Lookup lookups[] = {
        {"DescribeRouteTables", "association.main", "true", "routeTableSet", "routeTableId",
         {"main_route_table_id", "default_route_table_id"}},
        {"DescribeSecurityGroups", "group-name", "default", "securityGroupInfo", "groupId",
         {"default_security_group_id"}},
        {"DescribeNetworkAcls", "default", "true", "networkAclSet", "networkAclId", {"default_network_acl_id"}},
    };
    for (const auto& l : lookups) {
      QueryParams p;
      AddEc2Filters(p, {{"vpc-id", ids}, {l.filter, {l.value}}});
      auto r = Ec2Call(client(), region, l.action, p);
      if (!r.ok()) return r.error();
      for (pugi::xml_node item : XmlItems(r->root, l.set)) {
        auto it = found.find(XmlText(item, "vpcId"));
        if (it == found.end()) continue;
        for (const char* key : l.keys) it->second[key] = XmlText(item, l.id_field);
      }
    }
    return {};
  }

  // Best effort: what still lives in the VPC (a failed lookup names nothing).
  std::string Dependents(const std::string& region, const std::string& id) override {
    struct Lookup { const char* action; const char* filter; const char* set; const char* id_field; const char* what;
                    const char* filter_param; };
    const Lookup lookups[] = {
        {"DescribeSubnets", "vpc-id", "subnetSet", "subnetId", "subnet", "Filter"},
        {"DescribeInternetGateways", "attachment.vpc-id", "internetGatewaySet", "internetGatewayId",
         "internet gateway", "Filter"},
        {"DescribeNatGateways", "vpc-id", "natGatewaySet", "natGatewayId", "NAT gateway", "Filter"},
        {"DescribeSecurityGroups", "vpc-id", "securityGroupInfo", "groupId", "security group", "Filter"},
        {"DescribeRouteTables", "vpc-id", "routeTableSet", "routeTableId", "route table", "Filter"},
        {"DescribeNetworkInterfaces", "vpc-id", "networkInterfaceSet", "networkInterfaceId", "network interface",
         "Filter"},
    };
    std::vector<std::string> users;
    for (const auto& l : lookups) {
      QueryParams p;
      AddEc2Filters(p, {{l.filter, {id}}}, l.filter_param);
      auto r = Ec2Call(client(), region, l.action, p);
      if (!r.ok()) continue;
      for (pugi::xml_node item : XmlItems(r->root, l.set)) {
        // What the VPC's own deletion removes is no dependent.
        if (XmlText(item, "groupName") == "default") continue;
        bool main = false;
        for (pugi::xml_node a : XmlItems(item, "associationSet")) main = main || XmlBool(a, "main");
        std::string state = XmlText(item, "state");
        if (main || state == "deleted" || state == "deleting") continue;
        users.push_back(fmt::format("{} ({})", XmlText(item, l.id_field), l.what));
      }
    }
    std::string out;
    for (const auto& u : users) out += (out.empty() ? "" : ", ") + u;
    return out;
  }

 private:
  // Sets the DNS flags that differ from `prior` (or from AWS defaults on create).
  Status SetFlags(const std::string& region, const std::string& id, const Attributes* prior,
                  const Attributes& desired) {
    for (auto [attr, key, aws_default] : {std::tuple{"EnableDnsSupport", "enable_dns_support", true},
                                          std::tuple{"EnableDnsHostnames", "enable_dns_hostnames", false}}) {
      bool want = Bool(desired, key, aws_default);
      bool have = prior ? Bool(*prior, key, aws_default) : aws_default;
      if (want == have) continue;
      if (auto st = ModifyVpcFlag(client(), region, id, attr, want); !st.ok()) return st;
    }
    return {};
  }
};

// aws_subnet on the kit: map_public_ip_on_launch is not a CreateSubnet
// parameter, so it is set after the create (and by its update operation).
kit::Spec SubnetSpec() {
  kit::Spec spec{Ec2Schema("aws_subnet", {
      Required("vpc_id", kForceNew),
      Required("cidr_block", kForceNew | kCidr),
      OptionalComputed("availability_zone", kForceNew),
      OptionalComputed("availability_zone_id", kForceNew),
      Optional("map_public_ip_on_launch", kNone, AttrType::kBool, false),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  }), Ec2Service("subnet"), {
      {"vpc_id", "VpcId"},
      {"cidr_block", "CidrBlock"},
      {"availability_zone", "AvailabilityZone"},
      {"availability_zone_id", "AvailabilityZoneId", "", kit::Conv::kString, kit::kRead},  // sent when no AZ name
      {"map_public_ip_on_launch", "MapPublicIpOnLaunch.Value", "mapPublicIpOnLaunch", kit::Conv::kBool, kit::kRead},
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
  }, {"CreateSubnet", "subnet/subnetId"}};
  spec.updates = {{{"map_public_ip_on_launch"}, "ModifySubnetAttribute"}};
  spec.del = {"DeleteSubnet"};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeSubnets", "SubnetId", "subnetSet", "subnetId", "subnet-id"};
  spec.hooks.create_params = [](const OperationContext&, const Attributes& desired, QueryParams& p) {
    if (Str(desired, "availability_zone").empty())
      kit::AddParam(p, kit::Protocol::kEc2, "AvailabilityZoneId", kit::Conv::kString, Field(desired, "availability_zone_id"));
  };
  spec.hooks.after_create = [](const kit::Call& call, const OperationContext& ctx, const std::string& id,
                               const Attributes& desired) {
    if (!Bool(desired, "map_public_ip_on_launch")) return Status();
    auto r = call(ctx.region, "ModifySubnetAttribute", {{"SubnetId", id}, {"MapPublicIpOnLaunch.Value", "true"}});
    return r.ok() ? Status() : Status(r.error());
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string& region, Attributes& a) {
    if (a["map_public_ip_on_launch"].is_null()) a["map_public_ip_on_launch"] = false;
    std::string arn = XmlText(item, "subnetArn");
    a["arn"] = arn.empty() ? Ec2Arn(region, Str(a, "owner_id"), "subnet", Str(a, "id")) : arn;
  };
  return spec;
}

class InternetGatewayType : public Ec2ResourceType {
 public:
  explicit InternetGatewayType(std::shared_ptr<AwsClient> c)
      : Ec2ResourceType(std::move(c), InternetGatewaySchema(),
                        {"DescribeInternetGateways", "InternetGatewayId", "internet-gateway-id",
                         "internetGatewaySet", "internetGatewayId"}) {}

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    QueryParams p;
    AddEc2TagSpecification(p, "internet-gateway", InfraTags(ctx, Field(desired, "tags")));
    auto r = Ec2Call(client(), ctx.region, "CreateInternetGateway", p, /*idempotent=*/false);
    if (!r.ok()) return r.error();
    std::string id = XmlText(r->root, "internetGateway/internetGatewayId");
    if (auto vpc = Str(desired, "vpc_id"); !vpc.empty())
      if (auto st = Attach(ctx.region, "AttachInternetGateway", id, vpc); !st.ok()) return st.error();
    return Finish(ctx.region, id, desired);
  }

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    std::string id = Str(prior, "id"), from = Str(prior, "vpc_id"), to = Str(desired, "vpc_id");
    if (from != to) {
      if (!from.empty())
        if (auto st = Detach(ctx.region, id, from); !st.ok()) return st.error();
      if (!to.empty())
        if (auto st = Attach(ctx.region, "AttachInternetGateway", id, to); !st.ok()) return st.error();
    }
    if (auto st = UpdateTags(client(), ctx.region, id, Field(prior, "tags"), Field(desired, "tags")); !st.ok())
      return st.error();
    return Finish(ctx.region, id, desired);
  }

 protected:
  Status DeleteOnce(const OperationContext& ctx, const Attributes& prior) override {
    std::string id = Str(prior, "id");
    if (auto vpc = Str(prior, "vpc_id"); !vpc.empty())
      if (auto st = Detach(ctx.region, id, vpc); !st.ok()) return st;
    auto r = Ec2Call(client(), ctx.region, "DeleteInternetGateway", {{"InternetGatewayId", id}});
    return r.ok() ? Status() : Status(r.error());
  }

  Attributes FromItem(pugi::xml_node item, const std::string& region) const override {
    std::string id = XmlText(item, "internetGatewayId"), owner = XmlText(item, "ownerId");
    std::string vpc;
    for (pugi::xml_node a : XmlItems(item, "attachmentSet")) vpc = XmlText(a, "vpcId");
    return {{"id", id},
            {"vpc_id", OrNull(vpc)},
            {"owner_id", owner},
            {"arn", Ec2Arn(region, owner, "internet-gateway", id)},
            {"tags", UserTags(item)}};
  }

 private:
  Status Attach(const std::string& region, const char* action, const std::string& id, const std::string& vpc) {
    auto r = Ec2Call(client(), region, action, {{"InternetGatewayId", id}, {"VpcId", vpc}});
    return r.ok() ? Status() : Status(r.error());
  }
  // Detaching from a VPC it is no longer attached to is success.
  Status Detach(const std::string& region, const std::string& id, const std::string& vpc) {
    Status st = Attach(region, "DetachInternetGateway", id, vpc);
    if (!st.ok() && st.error().code == "Gateway.NotAttached") return {};
    return st;
  }
};

}  // namespace

void AddVpcTypes(TypeRegistry& p) {
  p.Add(std::make_unique<VpcType>(p.client()));
  p.Add(std::make_unique<kit::SpecType>(p.client(), SubnetSpec()));
  p.Add(std::make_unique<InternetGatewayType>(p.client()));
}

}  // namespace infra::aws
