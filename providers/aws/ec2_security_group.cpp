// aws_security_group (no inline rules; the default egress rule is removed
// as Terraform does) and aws_vpc_security_group_ingress_rule / _egress_rule.
#include <memory>

#include "providers/aws/aws_provider.h"
#include "providers/aws/ec2_resource.h"
#include "providers/aws/schema_builder.h"

namespace infra::aws {
namespace {

using provider::AttrType;
using namespace schema;

provider::ResourceSchema SecurityGroupSchema() {
  provider::ResourceSchema s;
  s.type = "aws_security_group";
  s.service = "ec2";
  s.attributes = {
      OptionalComputed("name", kForceNew),
      Optional("description", kForceNew, AttrType::kString, "Managed by infra"),
      OptionalComputed("vpc_id", kForceNew),
      Optional("revoke_rules_on_delete", kNone, AttrType::kBool, false),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  };
  return s;
}

provider::ResourceSchema RuleSchema(const char* type) {
  provider::ResourceSchema s;
  s.type = type;
  s.service = "ec2";
  s.attributes = {
      Required("security_group_id", kForceNew),
      Required("ip_protocol"),
      Optional("from_port", kNone, AttrType::kNumber),
      Optional("to_port", kNone, AttrType::kNumber),
      Optional("cidr_ipv4", kCidr),
      Optional("cidr_ipv6"),
      Optional("prefix_list_id"),
      Optional("referenced_security_group_id"),
      Optional("description"),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("security_group_rule_id"),
  };
  return s;
}

}  // namespace

void AddSecurityGroupTypes(AwsProvider& p) {
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), SecurityGroupSchema(), Ec2Describe{}));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), RuleSchema("aws_vpc_security_group_ingress_rule"), Ec2Describe{}));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), RuleSchema("aws_vpc_security_group_egress_rule"), Ec2Describe{}));
}

}  // namespace infra::aws
