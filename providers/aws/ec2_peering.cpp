// aws_vpc_peering_connection (same- or cross-region; pending-acceptance until
// accepted) and aws_vpc_peering_connection_accepter (runs in the peer region).
#include <memory>

#include "providers/aws/aws_provider.h"
#include "providers/aws/ec2_resource.h"
#include "providers/aws/schema_builder.h"

namespace infra::aws {
namespace {

using provider::AttrType;
using namespace schema;

provider::ResourceSchema PeeringSchema() {
  provider::ResourceSchema s;
  s.type = "aws_vpc_peering_connection";
  s.service = "ec2";
  s.attributes = {
      Required("vpc_id", kForceNew),
      Required("peer_vpc_id", kForceNew),
      OptionalComputed("peer_owner_id", kForceNew),
      OptionalComputed("peer_region", kForceNew),
      Optional("auto_accept", kNone, AttrType::kBool),
      Tags(),
      Computed("id"),
      Computed("accept_status"),
  };
  return s;
}

provider::ResourceSchema AccepterSchema() {
  provider::ResourceSchema s;
  s.type = "aws_vpc_peering_connection_accepter";
  s.service = "ec2";
  s.attributes = {
      Required("vpc_peering_connection_id", kForceNew),
      Optional("auto_accept", kNone, AttrType::kBool),
      Tags(),
      Computed("id"),
      Computed("accept_status"),
      Computed("vpc_id"),
      Computed("peer_vpc_id"),
      Computed("peer_owner_id"),
      Computed("peer_region"),
  };
  return s;
}

}  // namespace

void AddPeeringTypes(AwsProvider& p) {
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), PeeringSchema(), Ec2Describe{}));
  p.Add(std::make_unique<Ec2ResourceType>(p.client(), AccepterSchema(), Ec2Describe{}));
}

}  // namespace infra::aws
