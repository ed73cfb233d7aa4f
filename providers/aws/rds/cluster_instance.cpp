// aws_rds_cluster_instance: one DB instance of an Aurora cluster. The id is
// the instance identifier; reads are batched by the db-instance-id filter;
// class, public access, Performance Insights and the promotion tier change
// in place through ModifyDBInstance.
#include <memory>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/rds/rds_type.h"
#include "providers/aws/rds/rds_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;
using K = kit::Conv;

kit::Spec ClusterInstanceSpec() {
  auto s = rds::Schema("aws_rds_cluster_instance", {
      OptionalComputed("identifier", kForceNew),
      Required("cluster_identifier", kForceNew),
      Required("instance_class"),
      OneOf(Required("engine", kForceNew), {"aurora-mysql", "aurora-postgresql"}),
      OptionalComputed("engine_version"),
      Optional("publicly_accessible", kNone, AttrType::kBool, false),
      OptionalComputed("performance_insights_enabled", kNone, AttrType::kBool),
      Optional("promotion_tier", kNone, AttrType::kNumber, 0),
      OptionalComputed("db_subnet_group_name", kForceNew),
      OptionalComputed("db_parameter_group_name"),
      Optional("apply_immediately", kNone, AttrType::kBool),
      Optional("monitoring_interval", kNone, AttrType::kNumber),
      Optional("monitoring_role_arn"),
      Tags(),
      Computed("id"), Computed("arn"), Computed("endpoint"), Computed("port", AttrType::kNumber),
      Computed("dbi_resource_id"), Computed("status"),
  });
  kit::Spec spec{std::move(s), rds::Service(), {
      {"identifier", "DBInstanceIdentifier", "", K::kString, kit::kRead},  // create_params
      {"cluster_identifier", "DBClusterIdentifier"},
      {"instance_class", "DBInstanceClass"},
      {"engine", "Engine"},
      {"engine_version", "EngineVersion"},
      {"publicly_accessible", "PubliclyAccessible", "", K::kBool},
      {"performance_insights_enabled", "EnablePerformanceInsights", "PerformanceInsightsEnabled", K::kBool},
      {"promotion_tier", "PromotionTier", "", K::kNumber},
      {"db_subnet_group_name", "DBSubnetGroupName", "DBSubnetGroup/DBSubnetGroupName"},
      {"db_parameter_group_name", "DBParameterGroupName", "DBParameterGroups/DBParameterGroup/DBParameterGroupName"},
      {"monitoring_interval", "MonitoringInterval", "", K::kNumber},
      {"monitoring_role_arn", "MonitoringRoleArn"},
      {"arn", "", "DBInstanceArn", K::kString, kit::kRead},
      {"endpoint", "", "Endpoint/Address", K::kString, kit::kRead},
      {"port", "", "Endpoint/Port", K::kNumber, kit::kRead},
      {"dbi_resource_id", "", "DbiResourceId", K::kString, kit::kRead},
      {"status", "", "DBInstanceStatus", K::kString, kit::kRead},
  }, {"CreateDBInstance", "CreateDBInstanceResult/DBInstance/DBInstanceIdentifier"}};
  spec.schema.create_timeout = spec.schema.update_timeout = spec.schema.delete_timeout = std::chrono::minutes(90);
  spec.del = {"DeleteDBInstance", {"InvalidDBInstanceState"}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeDBInstances", "DBInstanceIdentifier",
               "DescribeDBInstancesResult/DBInstances", "DBInstanceIdentifier", "db-instance-id"};
  spec.wait = kit::Wait{"status", {"available"},
                        {"creating", "backing-up", "modifying", "rebooting", "starting", "configuring-enhanced-monitoring",
                         "configuring-log-exports", "upgrading", "renaming"},
                        std::chrono::seconds(10)};
  spec.adopt = {kit::Adoption::Kind::kByName, "identifier"};
  spec.propagation = {rds::kMonitoringRoleNotReady};
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    std::string id = kit::AttrText(desired, "identifier");
    p.emplace_back("DBInstanceIdentifier", id.empty() ? kit::PrefixedName("tf-", ctx) : id);
  };
  return spec;
}

}  // namespace

void AddRdsClusterInstanceTypes(TypeRegistry& p) {
  rds::RdsSpec extra;
  extra.modify_action = "ModifyDBInstance";
  extra.modify = {"instance_class", "engine_version", "publicly_accessible", "performance_insights_enabled",
                  "promotion_tier", "db_parameter_group_name", "monitoring_interval", "monitoring_role_arn"};
  extra.busy = {"modifying", "upgrading", "renaming", "rebooting"};
  extra.wait_delete = true;
  p.Add(std::make_unique<rds::RdsType>(p.client(), ClusterInstanceSpec(), std::move(extra)));
}

}  // namespace infra::aws
