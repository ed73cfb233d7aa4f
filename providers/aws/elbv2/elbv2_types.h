// The ELBv2 family (regional): one Add*Types per file of providers/aws/elbv2/,
// called by the provider registry (providers/aws/aws_provider.cpp).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddElbv2LoadBalancerTypes(TypeRegistry& registry);  // load_balancer.cpp: aws_lb
void AddElbv2TargetGroupTypes(TypeRegistry& registry);   // target_group.cpp: aws_lb_target_group
void AddElbv2ListenerTypes(TypeRegistry& registry);      // listener.cpp: aws_lb_listener, aws_lb_listener_rule

}  // namespace infra::aws
