// aws_db_subnet_group: the subnets RDS places a cluster or instance in.
// The id is the name (RDS lower-cases it); description and subnets change
// in place through ModifyDBSubnetGroup, which needs the subnets every time.
// Tags are not in DescribeDBSubnetGroups: ListTagsForResource by ARN.
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

kit::Spec SubnetGroupSpec() {
  auto s = rds::Schema("aws_db_subnet_group", {
      Compared(OptionalComputed("name", kForceNew), provider::Equality::kCaseInsensitive),
      Optional("name_prefix", kForceNew),
      Optional("description", kNone, AttrType::kString, "Managed by Terraform"),
      Required("subnet_ids", kNone, AttrType::kSetString),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("vpc_id"),
  });
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}}};
  s.create_timeout = s.update_timeout = s.delete_timeout = std::chrono::minutes(20);
  kit::Spec spec{std::move(s), rds::Service(), {
      {"name", "DBSubnetGroupName", "", kit::Conv::kString, kit::kRead},  // create_params: name or prefix
      {"description", "DBSubnetGroupDescription"},
      {"arn", "", "DBSubnetGroupArn", kit::Conv::kString, kit::kRead},
      {"vpc_id", "", "VpcId", kit::Conv::kString, kit::kRead},
  }, {"CreateDBSubnetGroup", "CreateDBSubnetGroupResult/DBSubnetGroup/DBSubnetGroupName"}};
  spec.updates = {{{"description", "subnet_ids"}, "", {}, {}, {}, "",
                   [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes&,
                      const Attributes& desired) -> Status {
                     QueryParams p = {{"DBSubnetGroupName", id}};
                     kit::AddParam(p, kit::Protocol::kQuery, "DBSubnetGroupDescription", kit::Conv::kString,
                                   desired.value("description", nlohmann::json()));
                     std::vector<std::string> subnets;
                     for (const auto& s : desired.value("subnet_ids", nlohmann::json::array())) subnets.push_back(s);
                     AddNamedList(p, "SubnetIds", "SubnetIdentifier", subnets);
                     auto r = call(region, "ModifyDBSubnetGroup", p);
                     return r.ok() ? Status() : Status(r.error());
                   }}};
  spec.del = {"DeleteDBSubnetGroup", {"InvalidDBSubnetGroupStateFault"}};  // a cluster still going away
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeDBSubnetGroups", "DBSubnetGroupName",
               "DescribeDBSubnetGroupsResult/DBSubnetGroups/DBSubnetGroup"};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    p.emplace_back("DBSubnetGroupName", kit::NameOrPrefixed(desired, ctx, "tf-"));
  };
  return spec;
}

}  // namespace

void AddRdsSubnetGroupTypes(TypeRegistry& p) {
  rds::RdsSpec extra;
  extra.lists = {{"subnet_ids", "SubnetIds", "SubnetIdentifier", "Subnets", "SubnetIdentifier"}};
  extra.tags_inline = false;
  p.Add(std::make_unique<rds::RdsType>(p.client(), SubnetGroupSpec(), std::move(extra)));
}

}  // namespace infra::aws
