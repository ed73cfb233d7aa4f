// The VPC associations of a private hosted zone (zone_vpcs.h).
#include "providers/aws/route53/zone_vpcs.h"

#include "providers/aws/route53/route53_service.h"

namespace infra::aws::route53 {

using provider::Attributes;

namespace {

// vpc_id -> vpc_region of `a`'s vpc blocks.
std::map<std::string, std::string> VpcsOf(const Attributes& a, const std::string& region) {
  std::map<std::string, std::string> out;
  const auto vpcs = a.is_object() ? a.value("vpc", Attributes::array()) : Attributes::array();
  for (const auto& v : vpcs.is_array() ? vpcs : Attributes::array()) {
    std::string id = kit::AttrText(v, "vpc_id"), in = kit::AttrText(v, "vpc_region");
    if (!id.empty()) out[id] = in.empty() ? region : in;
  }
  return out;
}

}  // namespace

void AddZoneVpcRoutes(std::map<std::string, kit::RestRoute>& routes) {
  for (auto [action, path] : {std::pair{"AssociateVPCWithHostedZone", "associatevpc"},
                              std::pair{"DisassociateVPCFromHostedZone", "disassociatevpc"}}) {
    const std::string root = std::string(action) + "Request";
    routes[action] = {"POST", "/2013-04-01/hostedzone/{Id}/" + std::string(path), root, kXmlns};
    routes[action].xml_order = {{root, {"VPC", "Comment"}}, {"VPC", {"VPCRegion", "VPCId"}}};
  }
}

std::vector<std::string> ZoneVpcReplacement(const Attributes& prior, const Attributes& desired) {
  if (VpcsOf(prior, "").empty() != VpcsOf(desired, "").empty()) return {"vpc"};
  return {};
}

Result<std::vector<std::string>> ChangeZoneVpcs(const kit::JsonCall& call, const std::string& zone,
                                                const std::string& region, const Attributes& prior,
                                                const Attributes& desired) {
  const auto before = VpcsOf(prior, region), after = VpcsOf(desired, region);
  std::vector<std::string> pending;
  auto send = [&](const char* action, const std::string& vpc, const std::string& in) -> Status {
    auto r = call("us-east-1", action, {{"Id", zone}, {"VPC", {{"VPCRegion", in}, {"VPCId", vpc}}}});
    if (!r.ok()) return r.error();
    nlohmann::json info = kit::JsonAt(*r, "ChangeInfo");
    if (kit::AttrText(info, "Status") != "INSYNC" && !kit::AttrText(info, "Id").empty())
      pending.push_back(ShortId(kit::AttrText(info, "Id")));
    return {};
  };
  for (const auto& [vpc, in] : after)
    if (!before.count(vpc))
      if (auto st = send("AssociateVPCWithHostedZone", vpc, in); !st.ok()) return st.error();
  for (const auto& [vpc, in] : before)
    if (!after.count(vpc))
      if (auto st = send("DisassociateVPCFromHostedZone", vpc, in); !st.ok()) return st.error();
  return pending;
}

Result<std::string> ChangeNotInSync(const kit::JsonCall& call, const std::vector<std::string>& changes) {
  for (const auto& change : changes) {
    auto got = call("us-east-1", "GetChange", {{"Id", change}});
    if (!got.ok()) return got.error();
    std::string status = kit::AttrText(kit::JsonAt(*got, "ChangeInfo"), "Status");
    if (status != "INSYNC") return change + " " + status;
  }
  return std::string();
}

}  // namespace infra::aws::route53
