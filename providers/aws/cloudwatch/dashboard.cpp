// aws_cloudwatch_dashboard: a dashboard and its body (a JSON document, or a
// YAML map; key order and whitespace are no change). The id is the name;
// PutDashboard creates and replaces the body, GetDashboard reads one.
#include <memory>

#include "providers/aws/cloudwatch/cloudwatch_types.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

kit::Spec DashboardSpec() {
  provider::ResourceSchema s;
  s.type = "aws_cloudwatch_dashboard";
  s.service = "cloudwatch";
  s.taggable = false;
  s.attributes = {
      Required("dashboard_name", kForceNew),
      Compared(Required("dashboard_body", kNone, AttrType::kAny), provider::Equality::kJsonDocument),
      Computed("id"),
      Computed("dashboard_arn"),
  };
  kit::Spec spec{std::move(s), kit::Service{"cloudwatch", kit::Protocol::kQuery}, {
      {"dashboard_name", "DashboardName"},
      {"dashboard_body", "DashboardBody", "", kit::Conv::kJsonDocument},
      {"dashboard_arn", "", "DashboardArn", kit::Conv::kString, kit::kRead},
  }, {"PutDashboard", "", false, /*idempotent=*/true}};
  spec.updates = {{{"dashboard_body"}, "PutDashboard"}};
  spec.del = {"DeleteDashboards", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetDashboard", "DashboardName", "GetDashboardResult"};
  spec.adopt = {kit::Adoption::Kind::kByName, "dashboard_name"};
  spec.service.not_found_codes = {"ResourceNotFound"};
  spec.hooks.id_of = [](const Attributes& desired, pugi::xml_node) { return kit::AttrText(desired, "dashboard_name"); };
  spec.hooks.delete_params = [](const Attributes& prior) {
    return QueryParams{{"DashboardNames.member.1", kit::AttrText(prior, "id")}};
  };
  return spec;
}

}  // namespace

void AddDashboardTypes(TypeRegistry& p) { p.Add(std::make_unique<kit::SpecType>(p.client(), DashboardSpec())); }

}  // namespace infra::aws
