// aws_vpc, aws_subnet and aws_internet_gateway (with its VPC attachment).
#include <memory>

#include "providers/aws/aws_provider.h"
#include "providers/aws/ec2_resource.h"
#include "providers/aws/schema_builder.h"

namespace infra::aws {
namespace {

using provider::AttrType;
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

provider::ResourceSchema SubnetSchema() {
  provider::ResourceSchema s;
  s.type = "aws_subnet";
  s.service = "ec2";
  s.attributes = {
      Required("vpc_id", kForceNew),
      Required("cidr_block", kForceNew | kCidr),
      OptionalComputed("availability_zone", kForceNew),
      OptionalComputed("availability_zone_id", kForceNew),
      Optional("map_public_ip_on_launch", kNone, AttrType::kBool, false),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
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

}  // namespace

void AddVpcTypes(AwsProvider& p) {
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), VpcSchema()));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), SubnetSchema()));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), InternetGatewaySchema()));
}

}  // namespace infra::aws
