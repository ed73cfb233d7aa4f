// The RDS family (regional): one Add*Types per file of providers/aws/rds/,
// called by the provider registry (providers/aws/aws_provider.cpp).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddRdsSubnetGroupTypes(TypeRegistry& registry);     // subnet_group.cpp: aws_db_subnet_group
void AddRdsParameterGroupTypes(TypeRegistry& registry);  // parameter_group.cpp: aws_db_parameter_group,
                                                         //   aws_rds_cluster_parameter_group
void AddRdsClusterTypes(TypeRegistry& registry);         // cluster.cpp: aws_rds_cluster
void AddRdsClusterInstanceTypes(TypeRegistry& registry); // cluster_instance.cpp: aws_rds_cluster_instance
void AddRdsInstanceTypes(TypeRegistry& registry);        // db_instance.cpp: aws_db_instance
void AddRdsGlobalClusterTypes(TypeRegistry& registry);   // global_cluster.cpp: aws_rds_global_cluster

}  // namespace infra::aws
