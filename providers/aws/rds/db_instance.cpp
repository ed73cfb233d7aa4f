// aws_db_instance: an RDS instance (MySQL), or a cross-region read replica
// of one (replicate_source_db: the source's ARN), created by
// CreateDBInstanceReadReplica. Removing the source promotes it in place
// (PromoteReadReplica, waited for); setting or changing it replaces. The id
// is the identifier; reads are batched by the db-instance-id filter. A
// source in another region makes the create carry a PreSignedUrl.
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

provider::AttributeSchema Source() {
  auto a = Optional("replicate_source_db");
  a.unset_clears = true;  // removed = promoted
  return a;
}

kit::Spec InstanceSpec() {
  auto s = rds::Schema("aws_db_instance", {
      OptionalComputed("identifier", kForceNew),
      OptionalComputed("engine", kForceNew),
      OptionalComputed("engine_version"),
      Required("instance_class"),
      OptionalComputed("allocated_storage", kNone, AttrType::kNumber),
      OptionalComputed("multi_az", kNone, AttrType::kBool),
      OptionalComputed("db_name", kForceNew),
      OptionalComputed("username", kForceNew),
      Optional("password", kSensitive),
      Optional("manage_master_user_password", kNone, AttrType::kBool),
      OptionalComputed("db_subnet_group_name", kForceNew),
      OptionalComputed("parameter_group_name"),
      OptionalComputed("vpc_security_group_ids", kNone, AttrType::kSetString),
      OptionalComputed("backup_retention_period", kNone, AttrType::kNumber),
      OptionalComputed("storage_encrypted", kForceNew, AttrType::kBool),
      OptionalComputed("kms_key_id", kForceNew),
      Optional("publicly_accessible", kNone, AttrType::kBool, false),
      Optional("deletion_protection", kNone, AttrType::kBool),
      Optional("skip_final_snapshot", kNone, AttrType::kBool),
      Optional("final_snapshot_identifier"),
      Optional("apply_immediately", kNone, AttrType::kBool),
      Optional("monitoring_interval", kNone, AttrType::kNumber),
      Optional("monitoring_role_arn"),
      Source(),
      Tags(),
      Computed("id"), Computed("arn"), Computed("address"), Computed("endpoint"), Computed("port", AttrType::kNumber),
      Computed("resource_id"), Computed("status"),
  });
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"password", "manage_master_user_password"}},
              {provider::SchemaCheck::Kind::kAtLeastOneOf, {"skip_final_snapshot", "final_snapshot_identifier"}}};
  kit::Spec spec{std::move(s), rds::Service(), {
      {"identifier", "DBInstanceIdentifier", "", K::kString, kit::kRead},  // create_params
      {"engine", "Engine"},
      {"engine_version", "EngineVersion"},
      {"instance_class", "DBInstanceClass"},
      {"allocated_storage", "AllocatedStorage", "", K::kNumber},
      {"multi_az", "MultiAZ", "", K::kBool},
      {"db_name", "DBName"},
      {"username", "MasterUsername"},
      {"password", "MasterUserPassword", "-", K::kString, kit::kCreate},  // never read back
      {"manage_master_user_password", "ManageMasterUserPassword", "-", K::kBool, kit::kCreate},
      {"db_subnet_group_name", "DBSubnetGroupName", "DBSubnetGroup/DBSubnetGroupName"},
      {"parameter_group_name", "DBParameterGroupName", "DBParameterGroups/DBParameterGroup/DBParameterGroupName"},
      {"backup_retention_period", "BackupRetentionPeriod", "", K::kNumber},
      {"storage_encrypted", "StorageEncrypted", "", K::kBool},
      {"kms_key_id", "KmsKeyId"},
      {"publicly_accessible", "PubliclyAccessible", "", K::kBool},
      {"deletion_protection", "DeletionProtection", "", K::kBool},
      {"replicate_source_db", "", "ReadReplicaSourceDBInstanceIdentifier"},  // sent by the replica's create
      {"monitoring_interval", "MonitoringInterval", "", K::kNumber},
      {"monitoring_role_arn", "MonitoringRoleArn"},
      {"arn", "", "DBInstanceArn", K::kString, kit::kRead},
      {"address", "", "Endpoint/Address", K::kString, kit::kRead},
      {"port", "", "Endpoint/Port", K::kNumber, kit::kRead},
      {"resource_id", "", "DbiResourceId", K::kString, kit::kRead},
      {"status", "", "DBInstanceStatus", K::kString, kit::kRead},
  }, {"CreateDBInstance", "CreateDBInstanceResult/DBInstance/DBInstanceIdentifier"}};
  spec.schema.create_timeout = spec.schema.update_timeout = spec.schema.delete_timeout = std::chrono::minutes(60);
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
  spec.hooks.on_read = [](pugi::xml_node, const std::string&, Attributes& a) {
    if (!a["address"].is_null()) a["endpoint"] = kit::AttrText(a, "address") + ":" + a["port"].dump();
  };
  spec.hooks.delete_params = [](const Attributes& prior) {
    QueryParams p = {{"DBInstanceIdentifier", kit::AttrText(prior, "id")}};
    bool skip = prior.value("skip_final_snapshot", nlohmann::json(false)) == true;
    p.emplace_back("SkipFinalSnapshot", skip ? "true" : "false");
    if (!skip) p.emplace_back("FinalDBSnapshotIdentifier", kit::AttrText(prior, "final_snapshot_identifier"));
    return p;
  };
  spec.plan.requires_replace = [](const Attributes& prior, const Attributes& desired) {
    auto source = desired.value("replicate_source_db", nlohmann::json());
    bool replaced = !source.is_null() && source != prior.value("replicate_source_db", nlohmann::json());
    return replaced ? std::vector<std::string>{"replicate_source_db"} : std::vector<std::string>{};
  };
  return spec;
}

}  // namespace

void AddRdsInstanceTypes(TypeRegistry& p) {
  rds::RdsSpec extra;
  extra.lists = {{"vpc_security_group_ids", "VpcSecurityGroupIds", "VpcSecurityGroupId", "VpcSecurityGroups",
                  "VpcSecurityGroupId"}};
  extra.modify_action = "ModifyDBInstance";
  extra.modify = {"engine_version", "instance_class", "allocated_storage", "multi_az", "password",
                  "manage_master_user_password", "parameter_group_name", "vpc_security_group_ids",
                  "backup_retention_period", "publicly_accessible", "deletion_protection", "monitoring_interval",
                  "monitoring_role_arn"};
  extra.promote_attr = "replicate_source_db";
  extra.promote_action = "PromoteReadReplica";
  extra.busy = {"modifying", "upgrading", "renaming", "rebooting"};
  extra.wait_delete = true;
  extra.replica_action = "CreateDBInstanceReadReplica";
  extra.replica_source_param = "SourceDBInstanceIdentifier";
  // A source in another region (its ARN names the region) makes the create
  // carry a PreSignedUrl signed for that region, as Terraform sets
  // SourceRegion from the ARN.
  extra.presign_region = [](const Attributes& desired) {
    return rds::ArnRegion(kit::AttrText(desired, "replicate_source_db"));
  };
  extra.replica_fields = {"instance_class", "multi_az", "db_subnet_group_name", "parameter_group_name", "kms_key_id",
                          "publicly_accessible", "deletion_protection", "monitoring_interval", "monitoring_role_arn",
                          "replicate_source_db"};
  p.Add(std::make_unique<rds::RdsType>(p.client(), InstanceSpec(), std::move(extra)));
}

}  // namespace infra::aws
