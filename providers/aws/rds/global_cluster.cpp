// aws_rds_global_cluster: an Aurora global database. Its members are
// aws_rds_cluster resources naming it (global_cluster_identifier), or the
// cluster it is made from (source_db_cluster_identifier). The id is the
// identifier; DescribeGlobalClusters per id, the item matched client-side
// (moto ignores the identifier and lists all). Before the delete, members
// still listed are removed when force_destroy is set; otherwise the delete
// is refused naming them.
#include <fmt/format.h>

#include <memory>

#include "providers/aws/kit/type_registry.h"
#include "providers/aws/rds/rds_type.h"
#include "providers/aws/rds/rds_types.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;
using K = kit::Conv;

kit::Spec GlobalClusterSpec() {
  auto s = rds::Schema("aws_rds_global_cluster", {
      Required("global_cluster_identifier", kForceNew),
      OptionalComputed("engine", kForceNew),
      OptionalComputed("engine_version"),
      OptionalComputed("source_db_cluster_identifier", kForceNew),
      OptionalComputed("database_name", kForceNew),
      OptionalComputed("storage_encrypted", kForceNew, AttrType::kBool),
      Optional("deletion_protection", kNone, AttrType::kBool),
      Optional("force_destroy", kNone, AttrType::kBool),
      Computed("id"), Computed("arn"), Computed("global_cluster_resource_id"),
      Computed("global_cluster_members", AttrType::kSetString),
  });
  s.taggable = false;  // moto keeps no TagList; AWS tags by ARN after create
  kit::Spec spec{std::move(s), rds::Service(), {
      {"global_cluster_identifier", "GlobalClusterIdentifier"},
      {"engine", "Engine"},
      {"engine_version", "EngineVersion"},
      {"source_db_cluster_identifier", "SourceDBClusterIdentifier", "-"},  // AWS does not report it
      {"database_name", "DatabaseName"},
      {"storage_encrypted", "StorageEncrypted", "", K::kBool},
      {"deletion_protection", "DeletionProtection", "", K::kBool},
      {"arn", "", "GlobalClusterArn", K::kString, kit::kRead},
      {"global_cluster_resource_id", "", "GlobalClusterResourceId", K::kString, kit::kRead},
  }, {"CreateGlobalCluster", "CreateGlobalClusterResult/GlobalCluster/GlobalClusterIdentifier"}};
  spec.del = {"DeleteGlobalCluster", {"InvalidGlobalClusterStateFault"}};  // members still leaving
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeGlobalClusters", "GlobalClusterIdentifier",
               "DescribeGlobalClustersResult/GlobalClusters", "GlobalClusterIdentifier"};
  spec.adopt = {kit::Adoption::Kind::kByName, "global_cluster_identifier"};
  spec.hooks.before_delete = [](const kit::Call& call, const provider::OperationContext& ctx,
                                const Attributes& prior) -> Status {
    const std::string id = kit::AttrText(prior, "id");
    auto members = prior.value("global_cluster_members", nlohmann::json::array());
    if (members.empty()) return {};
    if (prior.value("force_destroy", nlohmann::json(false)) != true)
      return MakeError(Error::Kind::kConflict, "GlobalClusterHasMembers",
                       fmt::format("{}: global cluster {} still has members ({}); remove them or set force_destroy",
                                   ctx.address, id, members.dump()));
    for (const auto& m : members) {
      auto r = call(ctx.region, "RemoveFromGlobalCluster", {{"GlobalClusterIdentifier", id}, {"DbClusterIdentifier", m}});
      if (!r.ok() && !IsNotFound(call.service(), r.error())) return r.error();
    }
    return {};
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    nlohmann::json members = nlohmann::json::array();
    for (pugi::xml_node m : XmlItems(item, "GlobalClusterMembers")) members.push_back(XmlText(m, "DBClusterArn"));
    a["global_cluster_members"] = members;
  };
  return spec;
}

}  // namespace

void AddRdsGlobalClusterTypes(TypeRegistry& p) {
  rds::RdsSpec extra;
  extra.scan_items = true;
  extra.modify_action = "ModifyGlobalCluster";
  extra.modify = {"engine_version", "deletion_protection"};
  p.Add(std::make_unique<rds::RdsType>(p.client(), GlobalClusterSpec(), std::move(extra)));
}

}  // namespace infra::aws
