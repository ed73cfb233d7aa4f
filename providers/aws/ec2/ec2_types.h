// The EC2 network family: one Add*Types per file of providers/aws/ec2/,
// called by the provider registry (providers/aws/aws_provider.cpp).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddVpcTypes(TypeRegistry& registry);            // vpc.cpp
void AddEipNatTypes(TypeRegistry& registry);         // eip_nat.cpp
void AddRouteTypes(TypeRegistry& registry);          // route.cpp
void AddSecurityGroupTypes(TypeRegistry& registry);  // security_group.cpp
void AddPeeringTypes(TypeRegistry& registry);        // peering.cpp

}  // namespace infra::aws
