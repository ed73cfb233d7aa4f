// aws_eip (VPC domain) and aws_nat_gateway (waits for available / deleted).
#include <memory>

#include "providers/aws/aws_provider.h"
#include "providers/aws/ec2_resource.h"
#include "providers/aws/schema_builder.h"

namespace infra::aws {
namespace {

using provider::AttrType;
using namespace schema;

provider::ResourceSchema EipSchema() {
  provider::ResourceSchema s;
  s.type = "aws_eip";
  s.service = "ec2";
  s.attributes = {
      Optional("domain", kForceNew, AttrType::kString, "vpc"),
      OptionalComputed("network_border_group", kForceNew),
      OptionalComputed("public_ipv4_pool", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("allocation_id"),
      Computed("association_id"),
      Computed("public_ip"),
      Computed("public_dns"),
      Computed("private_ip"),
  };
  return s;
}

provider::ResourceSchema NatGatewaySchema() {
  provider::ResourceSchema s;
  s.type = "aws_nat_gateway";
  s.service = "ec2";
  s.attributes = {
      Optional("allocation_id", kForceNew),
      Required("subnet_id", kForceNew),
      Optional("connectivity_type", kForceNew, AttrType::kString, "public"),
      OptionalComputed("private_ip", kForceNew),
      Tags(),
      Computed("id"),
      Computed("association_id"),
      Computed("network_interface_id"),
      Computed("public_ip"),
  };
  return s;
}

}  // namespace

void AddEipNatTypes(AwsProvider& p) {
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), EipSchema()));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), NatGatewaySchema()));
}

}  // namespace infra::aws
