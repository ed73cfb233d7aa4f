// aws_route_table (its routes and associations are resources of their own:
// route.cpp).
#include "providers/aws/ec2/ec2_service.h"

namespace infra::aws::ec2 {

using provider::Attributes;
using namespace schema;

kit::Spec RouteTableSpec() {
  kit::Spec spec{Schema("aws_route_table", {
      Required("vpc_id", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  }), Service("route-table"), {
      {"vpc_id", "VpcId"},
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
  }, {"CreateRouteTable", "routeTable/routeTableId", /*token=*/true}};
  spec.del = {"DeleteRouteTable"};
  spec.read = ReadByIds("DescribeRouteTables", "RouteTableId", "routeTableSet", "routeTableId", "route-table-id");
  spec.hooks.on_read = [](pugi::xml_node, const std::string& region, Attributes& a) {
    a["arn"] = Arn(region, Str(a, "owner_id"), "route-table", Str(a, "id"));
  };
  return spec;
}

}  // namespace infra::aws::ec2
