// aws_rds_cluster: an Aurora cluster, or a cross-region read replica of one
// (replication_source_identifier + source_region). Removing the source is
// an in-place update, PromoteReadReplicaDBCluster, waited for until the
// cluster reads back standalone; setting a source on a standalone cluster
// or changing it is a replacement (RequiresReplace). The id is the cluster
// identifier; reads are batched by the db-cluster-id filter. A replica whose
// source_region differs sends a PreSignedUrl (encrypted sources need it).
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
  auto a = Optional("replication_source_identifier");
  a.unset_clears = true;  // removed = promoted
  return a;
}

kit::Spec ClusterSpec() {
  auto s = rds::Schema("aws_rds_cluster", {
      OptionalComputed("cluster_identifier", kForceNew),
      OneOf(Required("engine", kForceNew), {"aurora-mysql", "aurora-postgresql", "mysql", "postgres"}),
      OptionalComputed("engine_version"),
      OptionalComputed("database_name", kForceNew),
      OptionalComputed("master_username", kForceNew),
      Optional("master_password", kSensitive),
      Optional("manage_master_user_password", kNone, AttrType::kBool),
      OptionalComputed("db_subnet_group_name", kForceNew),
      OptionalComputed("db_cluster_parameter_group_name"),
      OptionalComputed("vpc_security_group_ids", kNone, AttrType::kSetString),
      Optional("backup_retention_period", kNone, AttrType::kNumber, 1),
      OptionalComputed("preferred_backup_window"),
      OptionalComputed("storage_encrypted", kForceNew, AttrType::kBool),
      OptionalComputed("kms_key_id", kForceNew),
      OptionalComputed("port", kForceNew, AttrType::kNumber),
      Optional("deletion_protection", kNone, AttrType::kBool),
      Optional("skip_final_snapshot", kNone, AttrType::kBool),
      Optional("final_snapshot_identifier"),
      Optional("copy_tags_to_snapshot", kNone, AttrType::kBool, false),
      Optional("apply_immediately", kNone, AttrType::kBool),
      Source(),
      OptionalComputed("source_region", kForceNew),
      Optional("global_cluster_identifier", kForceNew),
      Tags(),
      Computed("id"), Computed("arn"), Computed("endpoint"), Computed("reader_endpoint"),
      Computed("cluster_resource_id"), Computed("hosted_zone_id"), Computed("status"),
  });
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"master_password", "manage_master_user_password"}},
              {provider::SchemaCheck::Kind::kAtLeastOneOf, {"skip_final_snapshot", "final_snapshot_identifier"}}};
  kit::Spec spec{std::move(s), rds::Service(), {
      {"cluster_identifier", "DBClusterIdentifier", "", K::kString, kit::kRead},  // create_params
      {"engine", "Engine"},
      {"engine_version", "EngineVersion"},
      {"database_name", "DatabaseName"},
      {"master_username", "MasterUsername"},
      {"master_password", "MasterUserPassword", "-", K::kString, kit::kCreate},   // never read back
      {"manage_master_user_password", "ManageMasterUserPassword", "-", K::kBool, kit::kCreate},
      {"db_subnet_group_name", "DBSubnetGroupName", "DBSubnetGroup"},
      {"db_cluster_parameter_group_name", "DBClusterParameterGroupName", "DBClusterParameterGroup"},
      {"backup_retention_period", "BackupRetentionPeriod", "", K::kNumber},
      {"preferred_backup_window", "PreferredBackupWindow"},
      {"storage_encrypted", "StorageEncrypted", "", K::kBool},
      {"kms_key_id", "KmsKeyId"},
      {"port", "Port", "", K::kNumber},
      {"deletion_protection", "DeletionProtection", "", K::kBool},
      {"copy_tags_to_snapshot", "CopyTagsToSnapshot", "", K::kBool},
      {"replication_source_identifier", "ReplicationSourceIdentifier"},
      {"global_cluster_identifier", "GlobalClusterIdentifier"},
      {"arn", "", "DBClusterArn", K::kString, kit::kRead},
      {"endpoint", "", "Endpoint", K::kString, kit::kRead},
      {"reader_endpoint", "", "ReaderEndpoint", K::kString, kit::kRead},
      {"cluster_resource_id", "", "DbClusterResourceId", K::kString, kit::kRead},
      {"hosted_zone_id", "", "HostedZoneId", K::kString, kit::kRead},
      {"status", "", "Status", K::kString, kit::kRead},
  }, {"CreateDBCluster", "CreateDBClusterResult/DBCluster/DBClusterIdentifier"}};
  spec.del = {"DeleteDBCluster", {"InvalidDBClusterStateFault"}};  // its instances still going away
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeDBClusters", "DBClusterIdentifier",
               "DescribeDBClustersResult/DBClusters", "DBClusterIdentifier", "db-cluster-id"};
  spec.wait = kit::Wait{"status", {"available"},
                        {"creating", "backing-up", "modifying", "upgrading", "renaming", "resetting-master-credentials"},
                        std::chrono::seconds(10)};
  spec.adopt = {kit::Adoption::Kind::kByName, "cluster_identifier"};
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    std::string id = kit::AttrText(desired, "cluster_identifier");
    p.emplace_back("DBClusterIdentifier", id.empty() ? kit::PrefixedName("tf-", ctx) : id);
  };
  // source_region is no RDS attribute: it follows from a cross-region
  // source's ARN, so an imported replica plans no replacement for it.
  spec.hooks.on_read = [](pugi::xml_node, const std::string& region, Attributes& a) {
    std::string source = rds::ArnRegion(kit::AttrText(a, "replication_source_identifier"));
    if (!source.empty() && source != region) a["source_region"] = source;
  };
  spec.hooks.delete_params = [](const Attributes& prior) {
    QueryParams p = {{"DBClusterIdentifier", kit::AttrText(prior, "id")}};
    bool skip = prior.value("skip_final_snapshot", nlohmann::json(false)) == true;
    p.emplace_back("SkipFinalSnapshot", skip ? "true" : "false");
    if (!skip) p.emplace_back("FinalDBSnapshotIdentifier", kit::AttrText(prior, "final_snapshot_identifier"));
    return p;
  };
  // A member of a global database leaves it before its delete (AWS refuses otherwise).
  spec.hooks.before_delete = [](const kit::Call& call, const provider::OperationContext& ctx, const Attributes& prior) {
    std::string global = kit::AttrText(prior, "global_cluster_identifier");
    if (global.empty()) return Status();
    auto r = call(ctx.region, "RemoveFromGlobalCluster",
                  {{"GlobalClusterIdentifier", global}, {"DbClusterIdentifier", kit::AttrText(prior, "arn")}});
    return r.ok() || IsNotFound(call.service(), r.error()) ? Status() : Status(r.error());
  };
  spec.plan.requires_replace = [](const Attributes& prior, const Attributes& desired) {
    auto source = desired.value("replication_source_identifier", nlohmann::json());
    bool replaced = !source.is_null() && source != prior.value("replication_source_identifier", nlohmann::json());
    return replaced ? std::vector<std::string>{"replication_source_identifier"} : std::vector<std::string>{};
  };
  return spec;
}

}  // namespace

void AddRdsClusterTypes(TypeRegistry& p) {
  rds::RdsSpec extra;
  extra.lists = {{"vpc_security_group_ids", "VpcSecurityGroupIds", "VpcSecurityGroupId", "VpcSecurityGroups",
                  "VpcSecurityGroupId"}};
  extra.modify_action = "ModifyDBCluster";
  extra.modify = {"engine_version", "master_password", "manage_master_user_password",
                  "db_cluster_parameter_group_name", "vpc_security_group_ids", "backup_retention_period",
                  "preferred_backup_window", "deletion_protection", "copy_tags_to_snapshot"};
  extra.promote_attr = "replication_source_identifier";
  extra.promote_action = "PromoteReadReplicaDBCluster";
  extra.busy = {"modifying", "upgrading", "renaming", "promoting", "resetting-master-credentials"};
  extra.wait_delete = true;
  // source_region: the create carries a PreSignedUrl signed for it, as
  // Terraform's SourceRegion makes the AWS SDK add one.
  extra.presign_region = [](const Attributes& desired) { return kit::AttrText(desired, "source_region"); };
  p.Add(std::make_unique<rds::RdsType>(p.client(), ClusterSpec(), std::move(extra)));
}

}  // namespace infra::aws
