// aws_lb_target_group: where a listener forwards to. The health check is a
// nested block sent as flat HealthCheck* parameters (ModifyTargetGroup in
// place); deregistration delay and stickiness are target-group attributes.
// A delete while a listener still forwards here (ResourceInUse) is retried
// while the listener goes away.
#include <memory>

#include "providers/aws/elbv2/elbv2_type.h"
#include "providers/aws/elbv2/elbv2_types.h"
#include "providers/aws/elbv2/elbv2_wire.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;

const std::vector<elbv2::BlockField> kHealthCheck = {
    {"health_check.enabled", "HealthCheckEnabled", kit::Conv::kBool},
    {"health_check.path", "HealthCheckPath"},
    {"health_check.matcher", "Matcher.HttpCode"},
    {"health_check.interval", "HealthCheckIntervalSeconds", kit::Conv::kNumber},
    {"health_check.timeout", "HealthCheckTimeoutSeconds", kit::Conv::kNumber},
    {"health_check.healthy_threshold", "HealthyThresholdCount", kit::Conv::kNumber},
    {"health_check.unhealthy_threshold", "UnhealthyThresholdCount", kit::Conv::kNumber},
    {"health_check.port", "HealthCheckPort"},
    {"health_check.protocol", "HealthCheckProtocol"},
};

const std::vector<elbv2::AttributeKey> kAttributes = {
    {"deregistration_delay", "deregistration_delay.timeout_seconds", kit::Conv::kNumber},
    {"stickiness.type", "stickiness.type"},
    {"stickiness.cookie_duration", "stickiness.lb_cookie.duration_seconds", kit::Conv::kNumber},
    {"stickiness.enabled", "stickiness.enabled", kit::Conv::kBool},
};

Status SetAttributes(const kit::Call& call, const std::string& region, const std::string& arn, const Attributes& d) {
  return elbv2::ModifyAttributes(call, region, "ModifyTargetGroupAttributes", "TargetGroupArn", arn, kAttributes, d);
}

kit::Spec TargetGroupSpec() {
  auto s = elbv2::Schema("aws_lb_target_group", {
      Range(Optional("port", kForceNew, AttrType::kNumber), 1, 65535),
      OneOf(Optional("protocol", kForceNew), {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"}),
      Optional("vpc_id", kForceNew),
      OneOf(Optional("target_type", kForceNew, AttrType::kString, "instance"), {"instance", "ip", "lambda", "alb"}),
      Block("health_check", AttrMode::kOptionalComputed, {
          OptionalComputed("enabled", kNone, AttrType::kBool), OptionalComputed("path"), OptionalComputed("matcher"),
          Range(OptionalComputed("interval", kNone, AttrType::kNumber), 5, 300),
          Range(OptionalComputed("timeout", kNone, AttrType::kNumber), 2, 120),
          Range(OptionalComputed("healthy_threshold", kNone, AttrType::kNumber), 2, 10),
          Range(OptionalComputed("unhealthy_threshold", kNone, AttrType::kNumber), 2, 10),
          OptionalComputed("port"), OptionalComputed("protocol"),
      }),
      Range(Optional("deregistration_delay", kNone, AttrType::kNumber, 300), 0, 3600),
      Block("stickiness", AttrMode::kOptionalComputed, {
          OneOf(Required("type"), {"lb_cookie", "app_cookie", "source_ip"}),
          Range(OptionalComputed("cookie_duration", kNone, AttrType::kNumber), 1, 604800),
          OptionalComputed("enabled", kNone, AttrType::kBool),
      }),
      Tags(),
      Computed("id"), Computed("arn"), Computed("arn_suffix"),
  });
  elbv2::AddNameAttributes(s);
  kit::Spec spec{std::move(s), elbv2::Service(), {
      {"name", "Name", "TargetGroupName"},
      {"port", "Port", "", kit::Conv::kNumber},
      {"protocol", "Protocol"},
      {"vpc_id", "VpcId"},
      {"target_type", "TargetType"},
      {"arn", "", "TargetGroupArn", kit::Conv::kString, kit::kRead},
  }, {"CreateTargetGroup", "CreateTargetGroupResult/TargetGroups/member/TargetGroupArn"}};
  spec.updates = {
      elbv2::RunWhen({"health_check"}, [](const kit::Call& call, const std::string& region, const std::string& id,
                                          const Attributes&, const Attributes& desired) {
        QueryParams p = {{"TargetGroupArn", id}};
        elbv2::AddBlockParams(p, "", kHealthCheck, desired);
        auto r = call(region, "ModifyTargetGroup", p);
        return r.ok() ? Status() : Status(r.error());
      }),
      elbv2::RunWhen({"deregistration_delay", "stickiness"},
                     [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes&,
                        const Attributes& desired) { return SetAttributes(call, region, id, desired); }),
  };
  spec.del = {"DeleteTargetGroup", {"ResourceInUse"}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeTargetGroups", "TargetGroupArns",
               "DescribeTargetGroupsResult/TargetGroups", "TargetGroupArn", "", 20};
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"TargetGroupArn", id}}; };
  spec.hooks.create_params = [](const OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    elbv2::AddName(p, ctx, desired);
    elbv2::AddBlockParams(p, "", kHealthCheck, desired);
  };
  spec.hooks.after_create = [](const kit::Call& call, const OperationContext& ctx, const std::string& id,
                               const Attributes& desired) { return SetAttributes(call, ctx.region, id, desired); };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    elbv2::ReadBlockFields(item, kHealthCheck, a);
    a["arn_suffix"] = elbv2::ArnSuffix(kit::AttrText(a, "arn"));
  };
  spec.hooks.enrich = [](const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
    return elbv2::ReadAttributes(call, region, "DescribeTargetGroupAttributes", "TargetGroupArn", kAttributes, found);
  };
  return spec;
}

}  // namespace

void AddElbv2TargetGroupTypes(TypeRegistry& p) {
  p.Add(std::make_unique<elbv2::Elbv2Type>(p.client(), TargetGroupSpec(), [](const Attributes& desired) {
    std::string name = kit::AttrText(desired, "name");
    return name.empty() ? QueryParams{} : QueryParams{{"Names.member.1", name}};
  }));
}

}  // namespace infra::aws
