// aws_route_table, aws_route (id "<rtb>_<destination>", Terraform's import
// form) and aws_route_table_association.
#include <memory>

#include "providers/aws/aws_provider.h"
#include "providers/aws/ec2_resource.h"
#include "providers/aws/schema_builder.h"

namespace infra::aws {
namespace {

using provider::AttrType;
using namespace schema;

provider::ResourceSchema RouteTableSchema() {
  provider::ResourceSchema s;
  s.type = "aws_route_table";
  s.service = "ec2";
  s.attributes = {
      Required("vpc_id", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  };
  return s;
}

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

}  // namespace

void AddRouteTypes(AwsProvider& p) {
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), RouteTableSchema(), Ec2Describe{}));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), RouteSchema(), Ec2Describe{}));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), RouteTableAssociationSchema(), Ec2Describe{}));
}

}  // namespace infra::aws
