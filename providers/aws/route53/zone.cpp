// aws_route53_zone: a hosted zone, public or private (vpc blocks: the first
// at create, later ones associated in place, zone_vpcs.h; public <-> private
// replaces the zone), its comment, tags and computed zone_id / name_servers
// / arn. moto ignores CallerReference and creates a twin, so a create the
// journal may have made is found by name and the infra:* tags
// (ListHostedZonesByName + ListTagsForResource). force_destroy deletes every
// record but the apex SOA and NS first. The data source: zone_data.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/route53/record_set.h"
#include "providers/aws/route53/route53_service.h"
#include "providers/aws/route53/route53_types.h"
#include "providers/aws/route53/zone_vpcs.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;
using provider::AttrType;

kit::Spec ZoneSpec() {
  auto s = route53::Schema("aws_route53_zone", {
      // Route 53 reports the name lower-case with a trailing dot; read back without it.
      Compared(Matching(Required("name", kForceNew), ".*[^.]"), provider::Equality::kCaseInsensitive),
      Optional("comment", kNone, AttrType::kString, "Managed by infra"),
      Optional("force_destroy", kNone, AttrType::kBool, false),
      Blocks("vpc", AttrMode::kOptional, {Required("vpc_id"), OptionalComputed("vpc_region")}), Tags(),
      Computed("id"), Computed("zone_id"), Computed("arn"), Computed("name_servers", AttrType::kListString)});
  std::map<std::string, kit::RestRoute> routes;
  kit::Service svc = route53::Service("hostedzone", routes);
  kit::Spec spec{std::move(s), svc, {
      {"name", "Name", "HostedZone.Name"},
      {"comment", "Comment", "HostedZone.Config.Comment"},
      {"vpc[].vpc_id", "", "VPCs.VPC[].VPCId", kit::Conv::kString, kit::kRead},
      {"vpc[].vpc_region", "", "VPCs.VPC[].VPCRegion", kit::Conv::kString, kit::kRead},
      {"name_servers", "", "DelegationSet.NameServers.NameServer", kit::Conv::kStringList, kit::kRead},
  }, {"CreateHostedZone", "HostedZone.Id", /*token=*/true}};
  spec.updates = {{{"comment"}, "UpdateHostedZoneComment"}};
  spec.del = {"DeleteHostedZone", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetHostedZone", "", ""};
  spec.adopt = {kit::Adoption::Kind::kByTag};
  spec.json.id_member = "Id";
  spec.json.token_member = "CallerReference";
  routes["CreateHostedZone"] = {"POST", "/2013-04-01/hostedzone", "CreateHostedZoneRequest", route53::kXmlns};
  routes["GetHostedZone"] = {"GET", "/2013-04-01/hostedzone/{Id}"};
  routes["UpdateHostedZoneComment"] = {"POST", "/2013-04-01/hostedzone/{Id}", "UpdateHostedZoneCommentRequest",
                                       route53::kXmlns};
  routes["DeleteHostedZone"] = {"DELETE", "/2013-04-01/hostedzone/{Id}"};
  routes["ListHostedZonesByName"] = {"GET", "/2013-04-01/hostedzonesbyname?dnsname={DNSName}&maxitems={MaxItems}"};
  // Route 53 checks element order (botocore's member order of each shape).
  routes["CreateHostedZone"].xml_order = {
      {"CreateHostedZoneRequest", {"Name", "VPC", "CallerReference", "HostedZoneConfig", "DelegationSetId"}},
      {"HostedZoneConfig", {"Comment", "PrivateZone"}},
      {"VPC", {"VPCRegion", "VPCId"}}};
  route53::AddRecordRoutes(routes);
  route53::AddZoneVpcRoutes(routes);
  spec.json.routes = std::move(routes);
  spec.plan.requires_replace = route53::ZoneVpcReplacement;
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes& d, nlohmann::json& body) {
    body["CallerReference"] = ctx.address;  // the token replaces it when there is one
    body["HostedZoneConfig"] = {{"Comment", body.value("Comment", "")}};
    body.erase("Comment");
    const auto vpcs = d.value("vpc", Attributes::array());
    if (!vpcs.is_array() || vpcs.empty()) return;
    body["HostedZoneConfig"]["PrivateZone"] = true;
    body["VPC"] = {{"VPCId", kit::AttrText(vpcs[0], "vpc_id")},
                   {"VPCRegion", kit::AttrText(vpcs[0], "vpc_region").empty() ? ctx.region
                                                                               : kit::AttrText(vpcs[0], "vpc_region")}};
  };
  spec.json.hooks.id_of = [](const Attributes&, const nlohmann::json& reply) {
    return route53::ShortId(kit::AttrText(reply["HostedZone"], "Id"));
  };
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string&, Attributes& a) {
    a["name"] = route53::NormalName(kit::AttrText(a, "name"));
    a["zone_id"] = a["id"];
    a["arn"] = "arn:aws:route53:::hostedzone/" + kit::AttrText(a, "id");
    if (a["name_servers"].is_string()) a["name_servers"] = Attributes::array({a["name_servers"]});
  };
  return spec;
}

class ZoneType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;

  /// The zone named like desired that carries this address's infra:* tags;
  /// else the one whose CallerReference is this create's (killed between
  /// CreateHostedZone and its tagging: tagged now, as Create would have).
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    const std::string name = route53::NormalName(kit::AttrText(desired, "name"));
    auto zones = call()("us-east-1", "ListHostedZonesByName", {{"DNSName", name}, {"MaxItems", "100"}});
    if (!zones.ok()) return zones.error();
    nlohmann::json list = kit::JsonAt(*zones, "HostedZones.HostedZone");
    if (list.is_object()) list = nlohmann::json::array({list});
    std::vector<std::string> ids;
    std::string by_reference;
    const std::string reference = ctx.token.empty() ? ctx.address : ctx.token;
    for (const auto& z : list.is_array() ? list : nlohmann::json::array()) {
      if (route53::NormalName(kit::AttrText(z, "Name")) != name) continue;
      ids.push_back(route53::ShortId(kit::AttrText(z, "Id")));
      bool excluded = std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), ids.back()) != ctx.exclude_ids.end();
      if (kit::AttrText(z, "CallerReference") == reference && !excluded) by_reference = ids.back();
    }
    auto id = route53::TaggedFor(call(), ctx, ids);
    if (!id.ok()) return id.error();
    if (id->empty() && !by_reference.empty()) {
      auto got = JsonSpecType::Import(ctx, by_reference);
      if (!got.ok()) return got.error();
      return std::optional<Attributes>(std::move(*got));
    }
    if (id->empty()) return std::optional<Attributes>();
    auto got = ReadOne(ctx.region, *id);
    if (!got.ok()) return got.error();
    return std::optional<Attributes>(std::move(*got));
  }

  /// VPCs associated / disassociated first (zone_vpcs.h), then the
  /// comment and tags; pending until those changes are INSYNC.
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    const std::string id = kit::AttrText(prior, "id");
    auto changes = route53::ChangeZoneVpcs(call(), id, ctx.region, prior, desired);
    if (!changes.ok()) return changes.error();
    auto r = JsonSpecType::Update(ctx, prior, desired);
    if (!r.ok() || changes->empty()) return r;
    std::lock_guard lock(mu_);
    changes_[id] = *changes;
    r->pending = true;
    return r;
  }

  /// After an update: GetChange of each VPC change until INSYNC, then the read.
  Result<provider::PollResult> Poll(const provider::OperationContext& ctx, const Attributes& current,
                                    provider::Phase phase) override {
    const std::string id = kit::AttrText(current, "id");
    std::vector<std::string> changes;
    {
      std::lock_guard lock(mu_);
      if (auto it = changes_.find(id); it != changes_.end()) changes = it->second;
    }
    auto waiting = route53::ChangeNotInSync(call(), changes);
    if (!waiting.ok()) return waiting.error();
    if (!waiting->empty()) {
      provider::PollResult r{provider::PollStatus::kPending, current, "VPC association change " + *waiting};
      r.retry_after = std::chrono::milliseconds(5000);
      return r;
    }
    {
      std::lock_guard lock(mu_);
      changes_.erase(id);
    }
    return JsonSpecType::Poll(ctx, current, phase);
  }

  /// force_destroy is an instruction, never read: off for an imported zone.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (got.ok()) (*got)["force_destroy"] = false;
    return got;
  }

  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx, const Attributes& prior) override {
    if (prior.value("force_destroy", false))
      if (auto st = route53::DeleteZoneRecords(call(), client_.get(), kit::AttrText(prior, "id"),
                                               kit::AttrText(prior, "name"));
          !st.ok())
        return st.error();
    auto r = JsonSpecType::Delete(ctx, prior);
    if (!r.ok() && r.error().code == "HostedZoneNotEmpty")
      return MakeError(r.error().kind, r.error().code,
                       fmt::format("{} (set force_destroy: true to delete its records with it)", r.error().message));
    return r;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::string>> changes_;  // zone id -> VPC changes not INSYNC
};

}  // namespace

void AddRoute53ZoneTypes(TypeRegistry& p) {
  auto zone = std::make_unique<ZoneType>(p.client(), ZoneSpec());
  provider::ResourceType& type = *zone;
  p.Add(std::move(zone));
  AddRoute53ZoneData(p, type);
}

}  // namespace infra::aws
