// The ELBv2 family (regional): one Add*Types per file of providers/aws/elbv2/,
// called by the provider registry (providers/aws/aws_provider.cpp).
#pragma once
#include <memory>

#include "providers/provider.h"

namespace infra::aws {

class AwsClient;
class TypeRegistry;

void AddElbv2LoadBalancerTypes(TypeRegistry& registry);  // load_balancer.cpp: aws_lb
void AddElbv2TargetGroupTypes(TypeRegistry& registry);   // target_group.cpp: aws_lb_target_group
void AddElbv2ListenerTypes(TypeRegistry& registry);      // listener.cpp: aws_lb_listener, aws_lb_listener_rule
/// load_balancer_data.cpp: data.aws_lb over `lb` (which must outlive it), by arn or name.
std::unique_ptr<provider::DataSourceType> NewLoadBalancerData(provider::ResourceType& lb,
                                                              std::shared_ptr<AwsClient> client);

}  // namespace infra::aws
