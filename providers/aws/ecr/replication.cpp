// aws_ecr_replication_configuration: the registry-wide replication rules of
// one region (rule -> destination {region, registry_id}, repository_filter).
// There is one per registry and region: the id is "registry" (an import by
// the account id reads the same), delete puts empty rules, and a registry
// without rules reads as gone.
#include <memory>

#include "providers/aws/ecr/ecr_types.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;

kit::Spec ReplicationSpec() {
  provider::ResourceSchema s;
  s.type = "aws_ecr_replication_configuration";
  s.service = "ecr";
  s.taggable = false;
  s.attributes = {
      Block("replication_configuration", AttrMode::kRequired,
            {Blocks("rule", AttrMode::kRequired,
                    {Blocks("destination", AttrMode::kRequired, {Required("region"), Required("registry_id")}),
                     Blocks("repository_filter", AttrMode::kOptional, {Required("filter"), Required("filter_type")})})}),
      Computed("id"),
      Computed("registry_id"),
  };
  const std::string rule = "replication_configuration.rule[].", wire = "replicationConfiguration.rules[].";
  kit::Spec spec{std::move(s), ecr::Service(), {
      {rule + "destination[].region", wire + "destinations[].region"},
      {rule + "destination[].registry_id", wire + "destinations[].registryId"},
      {rule + "repository_filter[].filter", wire + "repositoryFilters[].filter"},
      {rule + "repository_filter[].filter_type", wire + "repositoryFilters[].filterType"},
      {"registry_id", "", "registryId", kit::Conv::kString, kit::kRead},
  }, {"PutReplicationConfiguration", ""}};
  spec.updates = {{{"replication_configuration"}, "PutReplicationConfiguration"}};
  spec.del = {"PutReplicationConfiguration", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeRegistry", "", ""};
  spec.adopt = {kit::Adoption::Kind::kById};
  auto registry = [](const Attributes&, const nlohmann::json&) { return std::string("registry"); };
  spec.json.hooks.id_of = registry;
  spec.json.hooks.delete_body = [](const Attributes&, nlohmann::json& body) {
    body["replicationConfiguration"] = {{"rules", nlohmann::json::array()}};
  };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    auto rules = kit::JsonAt(item, "replicationConfiguration.rules");
    if (!rules.is_array() || rules.empty()) a = nullptr;  // no rules: nothing is configured
  };
  return spec;
}

}  // namespace

void AddEcrReplicationTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::JsonSpecType>(p.client(), ReplicationSpec()));
}

}  // namespace infra::aws
