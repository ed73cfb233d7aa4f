// aws_db_parameter_group and aws_rds_cluster_parameter_group: one spec for
// both (the cluster's API names carry "Cluster"). The parameters are a set
// of {name, value, apply_method}: put by Modify*ParameterGroup (20 a call)
// after the create and on change, removed ones reset; read back from
// Describe*Parameters with Source=user, one call per group.
#include <memory>

#include <fmt/format.h>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/rds/rds_type.h"
#include "providers/aws/rds/rds_types.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

struct Names {
  std::string type, group;  // "aws_rds_cluster_parameter_group", "DBClusterParameterGroup"
  std::string Param() const { return group + "Name"; }
};

std::string Text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(); }

// Modify (values) or Reset (names) `params`, 20 a call as RDS allows.
Status PutParameters(const kit::Call& call, const std::string& region, const Names& n, const std::string& id,
                     const std::string& verb, const std::vector<nlohmann::json>& params) {
  for (size_t start = 0; start < params.size(); start += 20) {
    QueryParams p = {{n.Param(), id}};
    for (size_t i = start; i < std::min(params.size(), start + 20); ++i) {
      std::string at = fmt::format("Parameters.Parameter.{}.", i - start + 1);
      p.emplace_back(at + "ParameterName", Text(params[i].value("name", nlohmann::json())));
      if (verb == "Modify") p.emplace_back(at + "ParameterValue", Text(params[i].value("value", nlohmann::json())));
      std::string method = Text(params[i].value("apply_method", nlohmann::json()));
      p.emplace_back(at + "ApplyMethod", method.empty() ? "immediate" : method);
    }
    if (auto r = call(region, verb + n.group, p); !r.ok()) return r.error();
  }
  return {};
}

Status SyncParameters(const kit::Call& call, const std::string& region, const Names& n, const std::string& id,
                      const nlohmann::json& prior, const nlohmann::json& desired) {
  auto list = [](const nlohmann::json& v) {
    return v.is_array() ? std::vector<nlohmann::json>(v.begin(), v.end()) : std::vector<nlohmann::json>{};
  };
  std::vector<nlohmann::json> before = list(prior), after = list(desired), put, reset;
  for (const auto& p : after)
    if (std::find(before.begin(), before.end(), p) == before.end()) put.push_back(p);
  for (const auto& p : before)
    if (std::none_of(after.begin(), after.end(), [&](const auto& a) { return a["name"] == p["name"]; }))
      reset.push_back(p);
  if (auto st = PutParameters(call, region, n, id, "Reset", reset); !st.ok()) return st;
  return PutParameters(call, region, n, id, "Modify", put);
}

kit::Spec GroupSpec(const Names& n) {
  auto s = rds::Schema(n.type, {
      Compared(OptionalComputed("name", kForceNew), provider::Equality::kCaseInsensitive),
      Optional("name_prefix", kForceNew),
      Required("family", kForceNew),
      Optional("description", kForceNew, AttrType::kString, "Managed by Terraform"),
      Compared(Blocks("parameter", provider::AttrMode::kOptional,
                      {Required("name"), Required("value"), Optional("apply_method", kNone, AttrType::kString, "immediate")}),
               provider::Equality::kSet),
      Tags(),
      Computed("id"),
      Computed("arn"),
  });
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}}};
  s.create_timeout = s.update_timeout = s.delete_timeout = std::chrono::minutes(20);
  kit::Spec spec{std::move(s), rds::Service(), {
      {"name", n.Param(), "", kit::Conv::kString, kit::kRead},  // create_params: name or prefix
      {"family", "DBParameterGroupFamily"},
      {"description", "Description"},
      {"arn", "", n.group + "Arn", kit::Conv::kString, kit::kRead},
  }, {"Create" + n.group, fmt::format("Create{0}Result/{0}/{0}Name", n.group)}};
  spec.updates = {{{"parameter"}, "", {}, {}, {}, "",
                   [n](const kit::Call& call, const std::string& region, const std::string& id, const Attributes& prior,
                       const Attributes& desired) {
                     return SyncParameters(call, region, n, id, prior.value("parameter", nlohmann::json()),
                                           desired.value("parameter", nlohmann::json()));
                   }}};
  spec.del = {"Delete" + n.group, {"InvalidDBParameterGroupState"}};  // still used by a cluster going away
  spec.read = {kit::ReadPolicy::Kind::kPerId, "Describe" + n.group + "s", n.Param(),
               fmt::format("Describe{0}sResult/{0}s/{0}", n.group)};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.hooks.create_params = [n](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    p.emplace_back(n.Param(), kit::NameOrPrefixed(desired, ctx, "tf-"));
  };
  spec.hooks.after_create = [n](const kit::Call& call, const provider::OperationContext& ctx, const std::string& id,
                                const Attributes& desired) {
    return SyncParameters(call, ctx.region, n, id, nullptr, desired.value("parameter", nlohmann::json()));
  };
  // The user-set parameters of each group (Source=user), Marker followed.
  spec.hooks.enrich = [n](const kit::Call& call, const std::string& region,
                          std::map<std::string, Attributes>& found) -> Status {
    std::string action = "Describe" + (n.group == "DBParameterGroup" ? std::string("DB") : std::string("DBCluster")) +
                         "Parameters";
    for (auto& [id, a] : found) {
      nlohmann::json params = nlohmann::json::array();
      std::string marker;
      do {
        QueryParams p = {{n.Param(), id}, {"Source", "user"}};
        if (!marker.empty()) p.emplace_back("Marker", marker);
        auto r = call(region, action, p);
        if (!r.ok()) return r.error();
        for (pugi::xml_node m : XmlItems(r->root, action + "Result/Parameters"))
          params.push_back({{"name", XmlText(m, "ParameterName")}, {"value", XmlText(m, "ParameterValue")},
                            {"apply_method", XmlText(m, "ApplyMethod").empty() ? "immediate" : XmlText(m, "ApplyMethod")}});
        marker = XmlText(r->root, action + "Result/Marker");
      } while (!marker.empty());
      a["parameter"] = params;
    }
    return {};
  };
  return spec;
}

}  // namespace

void AddRdsParameterGroupTypes(TypeRegistry& p) {
  for (const Names& n : {Names{"aws_db_parameter_group", "DBParameterGroup"},
                         Names{"aws_rds_cluster_parameter_group", "DBClusterParameterGroup"}}) {
    rds::RdsSpec extra;
    extra.tags_inline = false;
    p.Add(std::make_unique<rds::RdsType>(p.client(), GroupSpec(n), std::move(extra)));
  }
}

}  // namespace infra::aws
