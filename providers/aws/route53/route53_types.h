// The Route 53 family (REST-XML, global: every call is signed for
// us-east-1): one Add*Types per file of providers/aws/route53/, called by
// AddRoute53Types for providers/aws/aws_provider.cpp.
#pragma once

namespace infra::provider {
class ResourceType;
}

namespace infra::aws {

class TypeRegistry;

/// Every Route 53 type and data source (route53_service.cpp).
void AddRoute53Types(TypeRegistry& registry);

void AddRoute53ZoneTypes(TypeRegistry& registry);         // zone.cpp: aws_route53_zone (+ data source)
void AddRoute53HealthCheckTypes(TypeRegistry& registry);  // health_check.cpp
void AddRoute53RecordTypes(TypeRegistry& registry);       // record.cpp
/// zone_data.cpp: data.aws_route53_zone over `zone_type` (aws_route53_zone).
void AddRoute53ZoneData(TypeRegistry& registry, provider::ResourceType& zone_type);

}  // namespace infra::aws
