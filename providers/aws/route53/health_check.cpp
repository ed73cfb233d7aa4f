// aws_route53_health_check: an HTTP / HTTPS / *_STR_MATCH / TCP check of an
// fqdn or ip_address (port, resource_path, search_string, request_interval
// 10 or 30, failure_threshold, regions, measure_latency, invert_healthcheck)
// with tags. The create wraps the settings in HealthCheckConfig; the update
// sends them flat (UpdateHealthCheck); type, interval and latency
// measurement cannot change in place.
#include <algorithm>
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/route53/route53_service.h"
#include "providers/aws/route53/route53_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;
using provider::AttrType;

kit::Spec HealthCheckSpec() {
  auto s = route53::Schema("aws_route53_health_check", {
      OneOf(Required("type", kForceNew), {"HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"}),
      Optional("fqdn"), Optional("ip_address"), OptionalComputed("port", kNone, AttrType::kNumber),
      Optional("resource_path"), Optional("search_string"),
      OneOf(Optional("request_interval", kForceNew, AttrType::kNumber, 30), {"10", "30"}),
      Range(Optional("failure_threshold", kNone, AttrType::kNumber, 3), 1, 10),
      Optional("measure_latency", kForceNew, AttrType::kBool, false),
      Optional("invert_healthcheck", kNone, AttrType::kBool, false),
      OptionalComputed("regions", kNone, AttrType::kSetString),
      OptionalComputed("enable_sni", kNone, AttrType::kBool), Tags(), Computed("id"), Computed("arn")});
  s.checks = {{provider::SchemaCheck::Kind::kAtLeastOneOf, {"fqdn", "ip_address"}}};
  std::map<std::string, kit::RestRoute> routes;
  kit::Service svc = route53::Service("healthcheck", routes);
  std::vector<kit::Field> fields;
  for (auto [attr, wire, conv] : {std::tuple{"type", "Type", kit::Conv::kString},
                                  {"fqdn", "FullyQualifiedDomainName", kit::Conv::kString},
                                  {"ip_address", "IPAddress", kit::Conv::kString},
                                  {"port", "Port", kit::Conv::kNumber},
                                  {"resource_path", "ResourcePath", kit::Conv::kString},
                                  {"search_string", "SearchString", kit::Conv::kString},
                                  {"request_interval", "RequestInterval", kit::Conv::kNumber},
                                  {"failure_threshold", "FailureThreshold", kit::Conv::kNumber},
                                  {"measure_latency", "MeasureLatency", kit::Conv::kBool},
                                  {"invert_healthcheck", "Inverted", kit::Conv::kBool},
                                  {"regions", "Regions.Region", kit::Conv::kStringList},
                                  {"enable_sni", "EnableSNI", kit::Conv::kBool}})
    fields.push_back({attr, wire, std::string("HealthCheckConfig.") + wire, conv});
  kit::Spec spec{std::move(s), svc, std::move(fields), {"CreateHealthCheck", "HealthCheck.Id", /*token=*/true}};
  spec.updates = {{{"fqdn", "ip_address", "port", "resource_path", "search_string", "failure_threshold",
                    "invert_healthcheck", "regions", "enable_sni"},
                   "UpdateHealthCheck"}};
  spec.del = {"DeleteHealthCheck", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetHealthCheck", "", "HealthCheck"};
  spec.adopt = {kit::Adoption::Kind::kByTag};  // HealthCheckType::FindByAddress
  spec.json.id_member = "HealthCheckId";
  spec.json.token_member = "CallerReference";
  const std::string uri = "/2013-04-01/healthcheck";
  routes["CreateHealthCheck"] = {"POST", uri, "CreateHealthCheckRequest", route53::kXmlns};
  routes["GetHealthCheck"] = {"GET", uri + "/{HealthCheckId}"};
  routes["UpdateHealthCheck"] = {"POST", uri + "/{HealthCheckId}", "UpdateHealthCheckRequest", route53::kXmlns};
  routes["DeleteHealthCheck"] = {"DELETE", uri + "/{HealthCheckId}"};
  routes["ListHealthChecks"] = {"GET", uri + "?marker={Marker}&maxitems={MaxItems}"};
  // Route 53 checks element order (botocore's member order of each shape).
  routes["CreateHealthCheck"].xml_order = {
      {"CreateHealthCheckRequest", {"CallerReference", "HealthCheckConfig"}},
      {"HealthCheckConfig", {"IPAddress", "Port", "Type", "ResourcePath", "FullyQualifiedDomainName", "SearchString",
                             "RequestInterval", "FailureThreshold", "MeasureLatency", "Inverted", "Disabled",
                             "HealthThreshold", "ChildHealthChecks", "EnableSNI", "Regions", "AlarmIdentifier",
                             "InsufficientDataHealthStatus", "RoutingControlArn"}},
      {"AlarmIdentifier", {"Region", "Name"}}};
  routes["UpdateHealthCheck"].xml_order = {
      {"UpdateHealthCheckRequest", {"HealthCheckVersion", "IPAddress", "Port", "ResourcePath",
                                    "FullyQualifiedDomainName", "SearchString", "FailureThreshold", "Inverted",
                                    "Disabled", "HealthThreshold", "ChildHealthChecks", "EnableSNI", "Regions",
                                    "AlarmIdentifier", "InsufficientDataHealthStatus", "ResetElements"}},
      {"AlarmIdentifier", {"Region", "Name"}}};
  spec.json.routes = std::move(routes);
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes&, nlohmann::json& body) {
    nlohmann::json config = std::move(body);
    body = {{"CallerReference", ctx.address}, {"HealthCheckConfig", std::move(config)}};
  };
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string&, Attributes& a) {
    a["arn"] = "arn:aws:route53:::healthcheck/" + kit::AttrText(a, "id");
    if (a.contains("regions") && a["regions"].is_string()) a["regions"] = Attributes::array({a["regions"]});
  };
  return spec;
}

// moto ignores CallerReference and makes a twin: a create the journal may
// have made is found among every check by its infra:* tags.
class HealthCheckType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;
  // Else the check whose CallerReference is this create's (killed between
  // CreateHealthCheck and its tagging): tagged now, as Create would have.
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx, const Attributes&) override {
    std::vector<std::string> ids;
    std::string by_reference;
    const std::string reference = ctx.token.empty() ? ctx.address : ctx.token;
    nlohmann::json body = {{"MaxItems", "100"}};
    for (;;) {
      auto page = call()("us-east-1", "ListHealthChecks", body);
      if (!page.ok()) return page.error();
      nlohmann::json checks = kit::JsonAt(*page, "HealthChecks.HealthCheck");
      if (checks.is_object()) checks = nlohmann::json::array({checks});
      for (const auto& c : checks.is_array() ? checks : nlohmann::json::array()) {
        ids.push_back(kit::AttrText(c, "Id"));
        bool excluded = std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), ids.back()) != ctx.exclude_ids.end();
        if (kit::AttrText(c, "CallerReference") == reference && !excluded) by_reference = ids.back();
      }
      std::string next = kit::AttrText(*page, "NextMarker");
      if (kit::AttrText(*page, "IsTruncated") != "true" || next.empty() || next == body.value("Marker", "")) break;
      body["Marker"] = next;
    }
    auto id = route53::TaggedFor(call(), ctx, ids);
    if (!id.ok()) return id.error();
    if (id->empty() && !by_reference.empty()) {
      auto got = JsonSpecType::Import(ctx, by_reference);
      if (!got.ok()) return got.error();
      return std::optional<Attributes>(std::move(*got));
    }
    if (id->empty()) return std::optional<Attributes>();
    auto got = ReadOne(ctx.region, *id);
    if (!got.ok()) return got.error();
    return std::optional<Attributes>(std::move(*got));
  }
};

}  // namespace

void AddRoute53HealthCheckTypes(TypeRegistry& p) {
  p.Add(std::make_unique<HealthCheckType>(p.client(), HealthCheckSpec()));
}

}  // namespace infra::aws
