// aws_ecs_cluster: a cluster with its settings (containerInsights) and tags.
// The id is the ARN (Terraform's); settings change in place by
// UpdateCluster. Reads batch DescribeClusters by up to 100 names or
// ARNs with include=[SETTINGS, TAGS]; an INACTIVE cluster is gone. Also the
// data source aws_ecs_cluster (by cluster_name).
#include <memory>

#include "providers/aws/ecs/ecs_types.h"
#include "providers/aws/kit/grouped_read_type.h"
#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;

kit::Spec ClusterSpec() {
  provider::ResourceSchema s;
  s.type = "aws_ecs_cluster";
  s.service = "ecs";
  s.attributes = {
      Required("name", kForceNew),
      Blocks("setting", AttrMode::kOptionalComputed,
             {OneOf(Required("name"), {"containerInsights"}), OneOf(Required("value"), {"enabled", "disabled", "enhanced"})}),
      Tags(),
      Computed("id"),
      Computed("arn"),
  };
  kit::Spec spec{std::move(s), ecs::Service(), {
      {"name", "clusterName"},
      {"setting[].name", "settings[].name"},
      {"setting[].value", "settings[].value"},
      {"arn", "", "clusterArn", kit::Conv::kString, kit::kRead},
  }, {"CreateCluster", "cluster.clusterArn"}};
  spec.updates = {{{"setting"}, "UpdateCluster"}};
  // A cluster whose services are still draining refuses the delete.
  spec.del = {"DeleteCluster", {"ClusterContainsServicesException", "ClusterContainsTasksException"}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeClusters", "clusters", "clusters"};
  spec.json.id_member = "cluster";
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    if (kit::AttrText(item, "status") == "INACTIVE") a = nullptr;  // deleted: listed a while longer
    else a["id"] = a["arn"];
  };
  return spec;
}

kit::GroupedRead ClusterRead() {
  kit::GroupedRead r;
  r.bodies = [](const std::vector<std::string>& ids) {
    std::vector<nlohmann::json> out;
    for (auto& chunk : kit::Chunks(ids, 100))
      out.push_back({{"clusters", chunk}, {"include", {"SETTINGS", "TAGS"}}});
    return out;
  };
  r.item_ids = [](const nlohmann::json& item) {
    return std::vector<std::string>{kit::AttrText(item, "clusterArn"), kit::AttrText(item, "clusterName")};
  };
  r.adopt_id = [](const Attributes& desired) { return kit::AttrText(desired, "name"); };
  return r;
}

}  // namespace

void AddEcsClusterTypes(TypeRegistry& p) {
  auto type = std::make_unique<kit::GroupedReadType>(p.client(), ClusterSpec(), ClusterRead());
  kit::LookupSpec data{"aws_ecs_cluster", {Required("cluster_name")}, kit::IdFromArgument("cluster_name"), {"name"}};
  p.AddData(std::make_unique<kit::LookupDataSource>(*type, std::move(data)));
  p.Add(std::move(type));
}

}  // namespace infra::aws
