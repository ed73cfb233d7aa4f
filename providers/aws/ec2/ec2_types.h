// The EC2 network family, registered in groups (ec2_service.cpp) by the
// provider registry (providers/aws/aws_provider.cpp).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddVpcTypes(TypeRegistry& registry);            // ec2_service.cpp
void AddEipNatTypes(TypeRegistry& registry);         // ec2_service.cpp
void AddRouteTypes(TypeRegistry& registry);          // ec2_service.cpp
void AddSecurityGroupTypes(TypeRegistry& registry);  // ec2_service.cpp
void AddPeeringTypes(TypeRegistry& registry);        // ec2_service.cpp
void AddEc2DataSources(TypeRegistry& registry);      // data_sources.cpp

}  // namespace infra::aws
