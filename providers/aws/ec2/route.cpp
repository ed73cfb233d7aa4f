// aws_route_table, aws_route (id "<rtb>_<destination>", Terraform's import
// form) and aws_route_table_association.
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

const Ec2Describe kRouteTables = {"DescribeRouteTables", "RouteTableId", "route-table-id", "routeTableSet",
                                  "routeTableId"};
// The target attributes of a route and their CreateRoute parameter / XML names.
struct Target { const char* attr; const char* param; const char* xml; };
constexpr Target kTargets[] = {
    {"gateway_id", "GatewayId", "gatewayId"},
    {"nat_gateway_id", "NatGatewayId", "natGatewayId"},
    {"vpc_peering_connection_id", "VpcPeeringConnectionId", "vpcPeeringConnectionId"},
};

provider::ResourceSchema RouteSchema() {
  provider::ResourceSchema s;
  s.type = "aws_route";
  s.service = "ec2";
  s.taggable = false;
  s.attributes = {
      Required("route_table_id", kForceNew),
      Optional("destination_cidr_block", kForceNew | kCidr),
      Optional("gateway_id"),
      Optional("nat_gateway_id"),
      Optional("vpc_peering_connection_id"),
      Computed("id"),
      Computed("origin"),
      Computed("state"),
  };
  return s;
}

provider::ResourceSchema RouteTableAssociationSchema() {
  provider::ResourceSchema s;
  s.type = "aws_route_table_association";
  s.service = "ec2";
  s.taggable = false;
  s.attributes = {
      Optional("subnet_id", kForceNew),
      Optional("gateway_id", kForceNew),
      Required("route_table_id"),
      Computed("id"),
  };
  return s;
}


Status Done(const Result<Ec2Reply>& r) { return r.ok() ? Status() : Status(r.error()); }

// aws_route_table on the kit.
kit::Spec RouteTableSpec() {
  kit::Spec spec{Ec2Schema("aws_route_table", {
      Required("vpc_id", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  }), Ec2Service("route-table"), {
      {"vpc_id", "VpcId"},
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
  }, {"CreateRouteTable", "routeTable/routeTableId", /*token=*/true}};
  spec.del = {"DeleteRouteTable"};
  spec.read = {kit::ReadPolicy::Kind::kIdList, kRouteTables.action, kRouteTables.id_param, kRouteTables.set,
               kRouteTables.id_field, kRouteTables.id_filter};
  spec.hooks.on_read = [](pugi::xml_node, const std::string& region, Attributes& a) {
    a["arn"] = Ec2Arn(region, Str(a, "owner_id"), "route-table", Str(a, "id"));
  };
  return spec;
}

// A route has no id of its own: ours is "<route table id>_<destination>",
// the form Terraform imports. Reads describe the route tables (one call for
// all routes of a region) and pick the routes out.
class RouteType : public Ec2ResourceType {
 public:
  explicit RouteType(std::shared_ptr<AwsClient> c) : Ec2ResourceType(std::move(c), RouteSchema(), kRouteTables) {}

  static std::string IdOf(const std::string& rtb, const std::string& dest) { return rtb + "_" + dest; }

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    QueryParams p = RouteParams(desired);
    if (auto st = Done(Ec2Call(client(), ctx.region, "CreateRoute", p)); !st.ok()) return st.error();
    return Finish(ctx.region, IdOf(Str(desired, "route_table_id"), Str(desired, "destination_cidr_block")), desired);
  }

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    if (auto st = Done(Ec2Call(client(), ctx.region, "ReplaceRoute", RouteParams(desired))); !st.ok())
      return st.error();
    return Finish(ctx.region, Str(prior, "id"), desired);
  }

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, std::vector<std::string>> wanted;  // rtb -> destinations
    for (const auto& id : ids) {
      size_t us = id.find('_');
      if (us == std::string::npos) continue;  // not a route id: cannot exist
      wanted[id.substr(0, us)].push_back(id.substr(us + 1));
    }
    std::map<std::string, Attributes> out;
    if (wanted.empty()) return out;
    std::vector<std::string> rtbs;
    for (const auto& [rtb, dests] : wanted) rtbs.push_back(rtb);
    QueryParams p;
    AddEc2Filters(p, {{"route-table-id", rtbs}});
    auto r = Ec2Call(client(), region, "DescribeRouteTables", p);
    if (!r.ok()) return r.error();
    for (pugi::xml_node table : XmlItems(r->root, "routeTableSet")) {
      std::string rtb = XmlText(table, "routeTableId");
      for (pugi::xml_node route : XmlItems(table, "routeSet")) {
        std::string dest = XmlText(route, "destinationCidrBlock");
        const auto& dests = wanted[rtb];
        if (std::find(dests.begin(), dests.end(), dest) == dests.end()) continue;
        out[IdOf(rtb, dest)] = RouteFromXml(rtb, route);
      }
    }
    return out;
  }

  // A route is unique by table and destination: if it exists it is ours.
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    std::string id = IdOf(Str(desired, "route_table_id"), Str(desired, "destination_cidr_block"));
    auto got = Read(ctx.region, {id});
    if (!got.ok()) return got.error();
    auto it = got->find(id);
    if (it == got->end() || Excluded(ctx, id)) return std::optional<Attributes>();
    return std::optional<Attributes>(it->second);
  }

 protected:
  Status DeleteOnce(const OperationContext& ctx, const Attributes& prior) override {
    QueryParams p = {{"RouteTableId", Str(prior, "route_table_id")},
                     {"DestinationCidrBlock", Str(prior, "destination_cidr_block")}};
    return Done(Ec2Call(client(), ctx.region, "DeleteRoute", p));
  }

 private:
  static QueryParams RouteParams(const Attributes& a) {
    QueryParams p = {{"RouteTableId", Str(a, "route_table_id")},
                     {"DestinationCidrBlock", Str(a, "destination_cidr_block")}};
    for (const auto& t : kTargets)
      if (auto v = Str(a, t.attr); !v.empty()) p.emplace_back(t.param, v);
    return p;
  }

  static Attributes RouteFromXml(const std::string& rtb, pugi::xml_node route) {
    std::string dest = XmlText(route, "destinationCidrBlock");
    Attributes a = {{"id", IdOf(rtb, dest)},
                    {"route_table_id", rtb},
                    {"destination_cidr_block", dest},
                    {"origin", OrNull(XmlText(route, "origin"))},
                    {"state", OrNull(XmlText(route, "state"))}};
    for (const auto& t : kTargets) a[t.attr] = OrNull(XmlText(route, t.xml));
    // A NAT gateway target is reported by some APIs as gatewayId too.
    if (Str(a, "gateway_id").rfind("nat-", 0) == 0) {
      a["nat_gateway_id"] = a["gateway_id"];
      a["gateway_id"] = nullptr;
    }
    return a;
  }
};

// Associations are read through DescribeRouteTables (filter by association
// id); their id is the rtbassoc- id, which ReplaceRouteTableAssociation
// changes when the route table is switched in place.
class RouteTableAssociationType : public Ec2ResourceType {
 public:
  explicit RouteTableAssociationType(std::shared_ptr<AwsClient> c)
      : Ec2ResourceType(std::move(c), RouteTableAssociationSchema(), kRouteTables) {}

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    QueryParams p = {{"RouteTableId", Str(desired, "route_table_id")}};
    if (auto s = Str(desired, "subnet_id"); !s.empty()) p.emplace_back("SubnetId", s);
    if (auto g = Str(desired, "gateway_id"); !g.empty()) p.emplace_back("GatewayId", g);
    auto r = Ec2Call(client(), ctx.region, "AssociateRouteTable", p, /*idempotent=*/false);
    if (!r.ok()) return r.error();
    return Finish(ctx.region, XmlText(r->root, "associationId"), desired);
  }

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    QueryParams p = {{"AssociationId", Str(prior, "id")}, {"RouteTableId", Str(desired, "route_table_id")}};
    auto r = Ec2Call(client(), ctx.region, "ReplaceRouteTableAssociation", p);
    if (!r.ok()) return r.error();
    return Finish(ctx.region, XmlText(r->root, "newAssociationId"), desired);
  }

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, Attributes> out;
    if (ids.empty()) return out;
    return Search(region, {{"association.route-table-association-id", ids}},
                  [&](const Attributes& a) { return std::find(ids.begin(), ids.end(), Str(a, "id")) != ids.end(); });
  }

  // A subnet (or gateway) has at most one association: if it points at the
  // desired route table, it is ours.
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    std::string subnet = Str(desired, "subnet_id"), rtb = Str(desired, "route_table_id");
    auto got = Search(ctx.region, {{"route-table-id", {rtb}}}, [&](const Attributes& a) {
      return Str(a, "subnet_id") == subnet && Str(a, "gateway_id") == Str(desired, "gateway_id") &&
             !Excluded(ctx, Str(a, "id"));
    });
    if (!got.ok()) return got.error();
    if (got->empty()) return std::optional<Attributes>();
    return std::optional<Attributes>(got->begin()->second);
  }

 protected:
  Status DeleteOnce(const OperationContext& ctx, const Attributes& prior) override {
    return Done(Ec2Call(client(), ctx.region, "DisassociateRouteTable", {{"AssociationId", Str(prior, "id")}}));
  }

 private:
  Result<std::map<std::string, Attributes>> Search(const std::string& region, const std::vector<QueryFilter>& filters,
                                                   const std::function<bool(const Attributes&)>& keep) {
    QueryParams p;
    AddEc2Filters(p, filters);
    auto r = Ec2Call(client(), region, "DescribeRouteTables", p);
    if (!r.ok()) return r.error();
    std::map<std::string, Attributes> out;
    for (pugi::xml_node table : XmlItems(r->root, "routeTableSet"))
      for (pugi::xml_node assoc : XmlItems(table, "associationSet")) {
        if (XmlBool(assoc, "main")) continue;
        Attributes a = {{"id", XmlText(assoc, "routeTableAssociationId")},
                        {"route_table_id", XmlText(assoc, "routeTableId")},
                        {"subnet_id", OrNull(XmlText(assoc, "subnetId"))},
                        {"gateway_id", OrNull(XmlText(assoc, "gatewayId"))}};
        std::string id = Str(a, "id");  // json's operator= takes its argument by value: read the key first
        if (keep(a)) out[id] = std::move(a);
      }
    return out;
  }
};

}  // namespace

void AddRouteTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::SpecType>(p.client(), RouteTableSpec()));
  p.Add(std::make_unique<RouteType>(p.client()));
  p.Add(std::make_unique<RouteTableAssociationType>(p.client()));
}

}  // namespace infra::aws
