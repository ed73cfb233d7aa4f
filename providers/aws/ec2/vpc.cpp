// aws_vpc: the DNS flags are not CreateVpc parameters (ModifyVpcAttribute
// after the create, DescribeVpcAttribute per VPC on read); the default
// route table, security group and network ACL are looked up for all VPCs
// of a read at once. A delete that waits names what still uses the VPC.
#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {
namespace {

using provider::Attributes;
using provider::AttrType;
using namespace schema;

struct Flag { const char* attr; const char* wire; bool aws_default; };
constexpr Flag kFlags[] = {{"enable_dns_support", "EnableDnsSupport", true},
                           {"enable_dns_hostnames", "EnableDnsHostnames", false}};

// Sets the DNS flags that differ from `prior` (from AWS's defaults on create).
Status SetFlags(const kit::Call& call, const std::string& region, const std::string& id, const Attributes* prior,
                const Attributes& desired) {
  for (const auto& f : kFlags) {
    bool want = Bool(desired, f.attr, f.aws_default);
    if (want == (prior ? Bool(*prior, f.attr, f.aws_default) : f.aws_default)) continue;
    QueryParams p = {{"VpcId", id}, {fmt::format("{}.Value", f.wire), want ? "true" : "false"}};
    if (auto st = Done(call(region, "ModifyVpcAttribute", p)); !st.ok()) return st;
  }
  return {};
}

// Per VPC: the two DNS attributes (no batch API); for all VPCs at once:
// main route table, default security group and default network ACL.
Status Enrich(const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
  std::vector<std::string> ids;
  std::vector<std::pair<const std::string*, Attributes*>> vpcs;
  for (auto& [id, a] : found) {
    ids.push_back(id);
    vpcs.emplace_back(&id, &a);
    a["main_route_table_id"] = a["default_route_table_id"] = a["default_security_group_id"] =
        a["default_network_acl_id"] = nullptr;
  }
  // The attribute calls have no batch form. VPCs are read side by side, at
  // most 16 at once (issue 12: one after the other they were 90 % of a no-op
  // plan of 60 VPCs); one VPC's two calls stay in order.
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::optional<Error> failed;
  auto work = [&] {
    for (size_t v; (v = next++) < vpcs.size();) {
      std::map<std::string, bool> flags;
      for (const auto& f : kFlags) {
        std::string wire = f.wire;
        wire[0] = 'e';
        auto r = call(region, "DescribeVpcAttribute", {{"VpcId", *vpcs[v].first}, {"Attribute", wire}});
        if (!r.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (!failed) failed = r.error();
          next = vpcs.size();
          return;
        }
        flags[f.attr] = XmlBool(r->root, wire + "/value");
      }
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& [attr, value] : flags) (*vpcs[v].second)[attr] = value;
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < std::min<size_t>(16, vpcs.size()); ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failed) return *failed;
  struct Lookup { const char* action; const char* filter; const char* value; const char* set;
                  const char* id_field; std::vector<const char*> keys; };
  const Lookup lookups[] = {
      {"DescribeRouteTables", "association.main", "true", "routeTableSet", "routeTableId",
       {"main_route_table_id", "default_route_table_id"}},
      {"DescribeSecurityGroups", "group-name", "default", "securityGroupInfo", "groupId", {"default_security_group_id"}},
      {"DescribeNetworkAcls", "default", "true", "networkAclSet", "networkAclId", {"default_network_acl_id"}},
  };
  for (const auto& l : lookups) {
    QueryParams p;
    AddEc2Filters(p, {{"vpc-id", ids}, {l.filter, {l.value}}});
    auto r = call(region, l.action, p);
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
std::string Dependents(const kit::Call& call, const std::string& region, const std::string& id) {
  struct Lookup { const char* action; const char* filter; const char* set; const char* id_field; const char* what; };
  const Lookup lookups[] = {
      {"DescribeSubnets", "vpc-id", "subnetSet", "subnetId", "subnet"},
      {"DescribeInternetGateways", "attachment.vpc-id", "internetGatewaySet", "internetGatewayId", "internet gateway"},
      {"DescribeNatGateways", "vpc-id", "natGatewaySet", "natGatewayId", "NAT gateway"},
      {"DescribeSecurityGroups", "vpc-id", "securityGroupInfo", "groupId", "security group"},
      {"DescribeRouteTables", "vpc-id", "routeTableSet", "routeTableId", "route table"},
      {"DescribeNetworkInterfaces", "vpc-id", "networkInterfaceSet", "networkInterfaceId", "network interface"},
  };
  std::string out;
  for (const auto& l : lookups) {
    QueryParams p;
    AddEc2Filters(p, {{l.filter, {id}}});
    auto r = call(region, l.action, p);
    if (!r.ok()) continue;
    for (pugi::xml_node item : XmlItems(r->root, l.set)) {
      // What the VPC's own deletion removes is no dependent.
      if (XmlText(item, "groupName") == "default") continue;
      bool main = false;
      for (pugi::xml_node a : XmlItems(item, "associationSet")) main = main || XmlBool(a, "main");
      std::string state = XmlText(item, "state");
      if (main || state == "deleted" || state == "deleting") continue;
      out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", XmlText(item, l.id_field), l.what);
    }
  }
  return out;
}

}  // namespace

kit::Spec VpcSpec() {
  kit::Spec spec{Schema("aws_vpc", {
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
  }), Service("vpc"), {
      {"cidr_block", "CidrBlock"},
      {"instance_tenancy", "InstanceTenancy"},
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
      {"dhcp_options_id", "", "dhcpOptionsId", kit::Conv::kString, kit::kRead},
  }, {"CreateVpc", "vpc/vpcId"}};
  spec.updates = {{{"enable_dns_support", "enable_dns_hostnames"}, "", {}, {}, {},  {},
                   [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes& prior,
                      const Attributes& desired) { return SetFlags(call, region, id, &prior, desired); }}};
  spec.del = {"DeleteVpc"};
  spec.read = ReadByIds("DescribeVpcs", "VpcId", "vpcSet", "vpcId", "vpc-id");
  spec.hooks.after_create = [](const kit::Call& call, const provider::OperationContext& ctx, const std::string& id,
                               const Attributes& desired) { return SetFlags(call, ctx.region, id, nullptr, desired); };
  spec.hooks.on_read = [](pugi::xml_node, const std::string& region, Attributes& a) {
    a["arn"] = Arn(region, Str(a, "owner_id"), "vpc", Str(a, "id"));
  };
  spec.hooks.enrich = Enrich;
  spec.hooks.dependents = Dependents;
  return spec;
}

}  // namespace infra::aws::ec2
