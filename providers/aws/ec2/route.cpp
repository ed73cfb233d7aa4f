// aws_route (id "<rtb>_<destination>", Terraform's import form) and
// aws_route_table_association (its rtbassoc- id, which
// ReplaceRouteTableAssociation changes when the table is switched in place).
// Both are children of route tables: they are read from DescribeRouteTables
// (one call for all of a region's routes or associations).
#include <algorithm>
#include <functional>

#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {
namespace {

using provider::ApplyResult;
using provider::Attributes;
using provider::OperationContext;
using namespace schema;

std::map<std::string, Attributes> NoAttributes() { return {}; }

// "<rtb>_<destination>" -> {rtb, destination}; {"", ""} when not a route id.
std::pair<std::string, std::string> SplitRouteId(const std::string& id) {
  size_t us = id.find('_');
  if (us == std::string::npos) return {};
  return {id.substr(0, us), id.substr(us + 1)};
}

kit::Spec RouteSpec() {
  kit::Spec spec{Schema("aws_route", {
      Required("route_table_id", kForceNew),
      Optional("destination_cidr_block", kForceNew | kCidr),
      Optional("gateway_id"),
      Optional("nat_gateway_id"),
      Optional("vpc_peering_connection_id"),
      Computed("id"),
      Computed("origin"),
      Computed("state"),
  }), Service(""), {
      {"route_table_id", "RouteTableId"},
      {"destination_cidr_block", "DestinationCidrBlock"},
      {"gateway_id", "GatewayId"},
      {"nat_gateway_id", "NatGatewayId"},
      {"vpc_peering_connection_id", "VpcPeeringConnectionId"},
      {"origin", "", "origin", kit::Conv::kString, kit::kRead},
      {"state", "", "state", kit::Conv::kString, kit::kRead},
  }, {"CreateRoute", "", /*token=*/false, /*idempotent=*/false}};
  // Not re-sent after a lost reply: the repeat fails with RouteAlreadyExists
  // (the fault campaign). The engine's lookup by id adopts the route instead.
  spec.schema.taggable = false;
  spec.updates = {{{"gateway_id", "nat_gateway_id", "vpc_peering_connection_id"}, "ReplaceRoute"}};
  spec.del = {"DeleteRoute"};
  spec.adopt = {kit::Adoption::Kind::kById};  // unique by table and destination: if it exists it is ours
  spec.hooks.id_of = [](const Attributes& d, pugi::xml_node) {
    return Str(d, "route_table_id") + "_" + Str(d, "destination_cidr_block");
  };
  spec.hooks.id_params = [](const std::string& id) {
    auto [rtb, dest] = SplitRouteId(id);
    return QueryParams{{"RouteTableId", rtb}, {"DestinationCidrBlock", dest}};
  };
  spec.hooks.on_read = [](pugi::xml_node route, const std::string&, Attributes& a) {
    // A NAT gateway target is reported by some APIs as gatewayId too.
    if (Str(a, "gateway_id").rfind("nat-", 0) == 0) {
      a["nat_gateway_id"] = a["gateway_id"];
      a["gateway_id"] = nullptr;
    }
    a["destination_cidr_block"] = XmlText(route, "destinationCidrBlock");
  };
  return spec;
}

// Reads pick the routes out of their tables, filtered by table id.
class RouteType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, std::vector<std::string>> wanted;  // rtb -> destinations
    for (const auto& id : ids)
      if (auto [rtb, dest] = SplitRouteId(id); !rtb.empty()) wanted[rtb].push_back(dest);  // else cannot exist
    if (wanted.empty()) return NoAttributes();
    std::vector<std::string> rtbs;
    for (const auto& [rtb, dests] : wanted) rtbs.push_back(rtb);
    QueryParams p;
    AddEc2Filters(p, {{"route-table-id", rtbs}});
    auto r = call()(region, "DescribeRouteTables", p);
    if (!r.ok()) return r.error();
    std::map<std::string, Attributes> out;
    for (pugi::xml_node table : XmlItems(r->root, "routeTableSet")) {
      std::string rtb = XmlText(table, "routeTableId");
      const auto& dests = wanted[rtb];
      for (pugi::xml_node route : XmlItems(table, "routeSet")) {
        std::string dest = XmlText(route, "destinationCidrBlock");
        if (std::find(dests.begin(), dests.end(), dest) == dests.end()) continue;
        std::string id = rtb + "_" + dest;
        Attributes a = FromItem(route, id, region);
        a["route_table_id"] = rtb;
        out[id] = std::move(a);
      }
    }
    return out;
  }
};

kit::Spec AssociationSpec() {
  kit::Spec spec{Schema("aws_route_table_association", {
      Optional("subnet_id", kForceNew),
      Optional("gateway_id", kForceNew),
      Required("route_table_id"),
      Computed("id"),
  }), Service(""), {
      {"route_table_id", "RouteTableId"},
      {"subnet_id", "SubnetId"},
      {"gateway_id", "GatewayId"},
  }, {"AssociateRouteTable", "associationId"}};
  spec.schema.taggable = false;
  spec.del = {"DisassociateRouteTable"};
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"AssociationId", id}}; };
  return spec;
}

// Associations are read from their tables (a table's main association is
// no resource); the switch to another table in place gives a new id.
class AssociationType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) override {
    QueryParams p = {{"AssociationId", Str(prior, "id")}, {"RouteTableId", Str(desired, "route_table_id")}};
    auto r = call()(ctx.region, "ReplaceRouteTableAssociation", p);
    if (!r.ok()) return r.error();
    return Finish(ctx.region, XmlText(r->root, "newAssociationId"), desired);
  }

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    if (ids.empty()) return NoAttributes();
    return Search(region, {{"association.route-table-association-id", ids}},
                  [&](const Attributes& a) { return std::find(ids.begin(), ids.end(), Str(a, "id")) != ids.end(); });
  }

  // A subnet (or gateway) has at most one association: if it points at the
  // desired route table, it is ours.
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    auto got = Search(ctx.region, {{"route-table-id", {Str(desired, "route_table_id")}}}, [&](const Attributes& a) {
      return Str(a, "subnet_id") == Str(desired, "subnet_id") && Str(a, "gateway_id") == Str(desired, "gateway_id") &&
             std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), Str(a, "id")) == ctx.exclude_ids.end();
    });
    if (!got.ok()) return got.error();
    if (got->empty()) return std::optional<Attributes>();
    return std::optional<Attributes>(got->begin()->second);
  }

 private:
  Result<std::map<std::string, Attributes>> Search(const std::string& region, const std::vector<QueryFilter>& filters,
                                                   const std::function<bool(const Attributes&)>& keep) {
    QueryParams p;
    AddEc2Filters(p, filters);
    auto r = call()(region, "DescribeRouteTables", p);
    if (!r.ok()) return r.error();
    std::map<std::string, Attributes> out;
    for (pugi::xml_node table : XmlItems(r->root, "routeTableSet"))
      for (pugi::xml_node assoc : XmlItems(table, "associationSet")) {
        if (XmlBool(assoc, "main")) continue;
        std::string id = XmlText(assoc, "routeTableAssociationId");
        Attributes a = FromItem(assoc, id, region);
        if (keep(a)) out[id] = std::move(a);
      }
    return out;
  }
};

}  // namespace

std::unique_ptr<kit::SpecType> NewRouteType(std::shared_ptr<AwsClient> client) {
  return std::make_unique<RouteType>(std::move(client), RouteSpec());
}

std::unique_ptr<kit::SpecType> NewRouteTableAssociationType(std::shared_ptr<AwsClient> client) {
  return std::make_unique<AssociationType>(std::move(client), AssociationSpec());
}

}  // namespace infra::aws::ec2
