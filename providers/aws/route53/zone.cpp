// aws_route53_zone: a hosted zone, public or private (vpc blocks; the first
// at create, a change replaces the zone), its comment, tags and computed
// zone_id / name_servers / arn. moto ignores CallerReference and creates a
// twin, so a create the journal may have made is found by name and the
// infra:* tags (ListHostedZonesByName + ListTagsForResource). force_destroy
// deletes every record but the apex SOA and NS first. Also the data source
// aws_route53_zone (by name, or zone_id, with private_zone).
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/route53/record_set.h"
#include "providers/aws/route53/route53_service.h"
#include "providers/aws/route53/route53_types.h"

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
      Blocks("vpc", AttrMode::kOptional, {Required("vpc_id"), OptionalComputed("vpc_region")}, kForceNew), Tags(),
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
  spec.json.routes = std::move(routes);
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

  /// The zones named `name` (NormalName): id and whether private.
  Result<std::vector<std::pair<std::string, bool>>> ZonesNamed(const std::string& name) {
    auto zones = call()("us-east-1", "ListHostedZonesByName", {{"DNSName", name}, {"MaxItems", "100"}});
    if (!zones.ok()) return zones.error();
    nlohmann::json list = kit::JsonAt(*zones, "HostedZones.HostedZone");
    if (list.is_object()) list = nlohmann::json::array({list});
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& z : list.is_array() ? list : nlohmann::json::array())
      if (route53::NormalName(kit::AttrText(z, "Name")) == name)
        out.emplace_back(route53::ShortId(kit::AttrText(z, "Id")), kit::AttrText(z["Config"], "PrivateZone") == "true");
    return out;
  }

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

  /// force_destroy is an instruction, never read: off for an imported zone.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (got.ok()) (*got)["force_destroy"] = false;
    return got;
  }

  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx, const Attributes& prior) override {
    if (prior.value("force_destroy", false))
      if (auto st = DeleteRecords(kit::AttrText(prior, "id"), kit::AttrText(prior, "name")); !st.ok())
        return st.error();
    auto r = JsonSpecType::Delete(ctx, prior);
    if (!r.ok() && r.error().code == "HostedZoneNotEmpty")
      return MakeError(r.error().kind, r.error().code,
                       fmt::format("{} (set force_destroy: true to delete its records with it)", r.error().message));
    return r;
  }

 private:
  // Every record but the apex SOA and NS, deleted 100 changes a call.
  Status DeleteRecords(const std::string& zone, const std::string& name) {
    nlohmann::json changes = nlohmann::json::array();
    Status st = route53::ListRecordSets(call(), zone, "", "", 300, [&](const nlohmann::json& rs) {
      std::string type = kit::AttrText(rs, "Type");
      bool apex = route53::NormalName(kit::AttrText(rs, "Name")) == route53::NormalName(name);
      if (!(apex && (type == "SOA" || type == "NS"))) changes.push_back({{"Action", "DELETE"}, {"ResourceRecordSet", rs}});
      return true;
    });
    if (!st.ok()) return st;
    for (size_t i = 0; i < changes.size(); i += 100) {
      nlohmann::json part(changes.begin() + i, changes.begin() + std::min(changes.size(), i + 100));
      auto r = route53::ChangeRecordSets(client_.get(), zone, part, /*idempotent=*/true);
      if (!r.ok()) return r.error();
    }
    return {};
  }
};

// data.aws_route53_zone: zone_id is an argument and a result (the found zone's id).
class ZoneData : public kit::LookupDataSource {
 public:
  using LookupDataSource::LookupDataSource;
  Result<Attributes> Read(const provider::OperationContext& ctx, const Attributes& args) override {
    auto got = LookupDataSource::Read(ctx, args);
    if (got.ok()) (*got)["zone_id"] = (*got)["id"];
    return got;
  }
};

}  // namespace

void AddRoute53ZoneTypes(TypeRegistry& p) {
  auto zone = std::make_unique<ZoneType>(p.client(), ZoneSpec());
  ZoneType* type = zone.get();
  p.Add(std::move(zone));
  kit::LookupSpec data{"aws_route53_zone", {Optional("name"), Optional("zone_id"),
                                            Optional("private_zone", kNone, AttrType::kBool, false)}, nullptr};
  data.omit = {"force_destroy", "comment"};
  data.resolve_id = [type](const provider::OperationContext&, const Attributes& args) -> Result<std::string> {
    if (!kit::AttrText(args, "zone_id").empty()) return kit::AttrText(args, "zone_id");
    const std::string name = route53::NormalName(kit::AttrText(args, "name"));
    if (name.empty()) return MakeError(Error::Kind::kInvalid, "MissingArgument", "'name' or 'zone_id' must be set");
    auto zones = type->ZonesNamed(name);
    if (!zones.ok()) return zones.error();
    for (const auto& [id, is_private] : *zones)
      if (is_private == args.value("private_zone", false)) return id;
    return MakeError(Error::Kind::kNotFound, "NoMatchingZone", fmt::format("no Route 53 zone named {} found", name));
  };
  p.AddData(std::make_unique<ZoneData>(*type, std::move(data)));
}

}  // namespace infra::aws
