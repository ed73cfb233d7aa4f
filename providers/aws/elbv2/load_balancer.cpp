// aws_lb: an application (or network) load balancer. Created, then waited
// for until its state is `active`; idle timeout, deletion protection,
// header dropping and access logs are load-balancer attributes (a call of
// their own after the create and on update). Deletion protection on makes
// delete fail with a message naming enable_deletion_protection.
#include <fmt/format.h>

#include <memory>

#include "providers/aws/elbv2/elbv2_type.h"
#include "providers/aws/elbv2/elbv2_types.h"
#include "providers/aws/elbv2/elbv2_wire.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;

const std::vector<elbv2::AttributeKey> kAttributes = {
    {"idle_timeout", "idle_timeout.timeout_seconds", kit::Conv::kNumber},
    {"enable_deletion_protection", "deletion_protection.enabled", kit::Conv::kBool},
    {"drop_invalid_header_fields", "routing.http.drop_invalid_header_fields.enabled", kit::Conv::kBool},
    {"access_logs.bucket", "access_logs.s3.bucket"},
    {"access_logs.prefix", "access_logs.s3.prefix"},
    {"access_logs.enabled", "access_logs.s3.enabled", kit::Conv::kBool},
};

Status SetAttributes(const kit::Call& call, const std::string& region, const std::string& arn, const Attributes& d) {
  return elbv2::ModifyAttributes(call, region, "ModifyLoadBalancerAttributes", "LoadBalancerArn", arn, kAttributes, d);
}

// Refuses a delete while AWS holds deletion protection on (moto does not
// enforce it; AWS answers OperationNotPermitted without naming the attribute).
Status CheckDeletable(const kit::Call& call, const std::string& region, const std::string& arn) {
  std::map<std::string, Attributes> one = {{arn, Attributes::object()}};
  auto st = elbv2::ReadAttributes(call, region, "DescribeLoadBalancerAttributes", "LoadBalancerArn", kAttributes, one);
  if (!st.ok()) return kit::IsNotFound(call.service(), st.error()) ? Status() : st;
  if (elbv2::GetPath(one[arn], "enable_deletion_protection") != true) return {};
  return MakeError(Error::Kind::kConflict, "OperationNotPermitted",
                   fmt::format("load balancer {} has enable_deletion_protection = true: set it to false and apply "
                               "before deleting it", arn));
}

kit::Spec LoadBalancerSpec() {
  auto s = elbv2::Schema("aws_lb", {
      Optional("internal", kForceNew, AttrType::kBool, false),
      OneOf(Optional("load_balancer_type", kForceNew, AttrType::kString, "application"), {"application", "network"}),
      Optional("subnets", kNone, AttrType::kSetString),
      OptionalComputed("security_groups", kNone, AttrType::kSetString),
      Range(Optional("idle_timeout", kNone, AttrType::kNumber, 60), 1, 4000),
      Optional("enable_deletion_protection", kNone, AttrType::kBool, false),
      Optional("drop_invalid_header_fields", kNone, AttrType::kBool, false),
      Block("access_logs", AttrMode::kOptionalComputed, {
          Required("bucket"), OptionalComputed("prefix"), OptionalComputed("enabled", kNone, AttrType::kBool),
      }),
      Tags(),
      Computed("id"), Computed("arn"), Computed("arn_suffix"), Computed("dns_name"), Computed("zone_id"),
      Computed("vpc_id"),
  });
  elbv2::AddNameAttributes(s);
  s.create_timeout = std::chrono::minutes(10);
  kit::Spec spec{std::move(s), elbv2::Service(), {
      {"name", "Name", "LoadBalancerName"},
      {"load_balancer_type", "Type"},
      {"subnets", "Subnets", "-", kit::Conv::kStringList},  // read from AvailabilityZones
      {"security_groups", "SecurityGroups", "", kit::Conv::kStringList},
      {"arn", "", "LoadBalancerArn", kit::Conv::kString, kit::kRead},
      {"dns_name", "", "DNSName", kit::Conv::kString, kit::kRead},
      {"zone_id", "", "CanonicalHostedZoneId", kit::Conv::kString, kit::kRead},
      {"vpc_id", "", "VpcId", kit::Conv::kString, kit::kRead},
      {"state", "", "State/Code", kit::Conv::kString, kit::kRead},  // for the wait only
  }, {"CreateLoadBalancer", "CreateLoadBalancerResult/LoadBalancers/member/LoadBalancerArn"}};
  spec.updates = {
      {{"subnets"}, "SetSubnets"},
      {{"security_groups"}, "SetSecurityGroups"},
      elbv2::RunWhen({"idle_timeout", "enable_deletion_protection", "drop_invalid_header_fields", "access_logs"},
                     [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes&,
                        const Attributes& desired) { return SetAttributes(call, region, id, desired); }),
  };
  spec.del = {"DeleteLoadBalancer", {"ResourceInUse"}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeLoadBalancers", "LoadBalancerArns",
               "DescribeLoadBalancersResult/LoadBalancers", "LoadBalancerArn", "", 20};
  spec.wait = kit::Wait{"state", {"active"}, {"provisioning"}, std::chrono::milliseconds(5000)};
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"LoadBalancerArn", id}}; };
  spec.hooks.create_params = [](const OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    elbv2::AddName(p, ctx, desired);
    p.emplace_back("Scheme", elbv2::GetPath(desired, "internal") == true ? "internal" : "internet-facing");
  };
  spec.hooks.after_create = [](const kit::Call& call, const OperationContext& ctx, const std::string& id,
                               const Attributes& desired) { return SetAttributes(call, ctx.region, id, desired); };
  spec.hooks.before_delete = [](const kit::Call& call, const OperationContext& ctx, const Attributes& prior) {
    return CheckDeletable(call, ctx.region, kit::AttrText(prior, "id"));
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    a["internal"] = XmlText(item, "Scheme") == "internal";
    a["subnets"] = nlohmann::json::array();
    for (pugi::xml_node z : XmlItems(item, "AvailabilityZones")) a["subnets"].push_back(XmlText(z, "SubnetId"));
    a["arn_suffix"] = elbv2::ArnSuffix(kit::AttrText(a, "arn"));
  };
  spec.hooks.enrich = [](const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
    auto st = elbv2::ReadAttributes(call, region, "DescribeLoadBalancerAttributes", "LoadBalancerArn", kAttributes, found);
    for (auto& [arn, a] : found)  // moto leaves keys out until they are set; AWS reports its defaults
      for (auto [attr, aws_default] : {std::pair<const char*, nlohmann::json>{"idle_timeout", 60},
                                       {"enable_deletion_protection", false}, {"drop_invalid_header_fields", false}})
        if (a[attr].is_null()) a[attr] = aws_default;
    return st;
  };
  return spec;
}

}  // namespace

void AddElbv2LoadBalancerTypes(TypeRegistry& p) {
  auto lb = std::make_unique<elbv2::Elbv2Type>(p.client(), LoadBalancerSpec(), [](const Attributes& desired) {
    std::string name = kit::AttrText(desired, "name");
    return name.empty() ? QueryParams{} : QueryParams{{"Names.member.1", name}};  // a generated name: list all
  });
  p.AddData(NewLoadBalancerData(*lb, p.client()));
  p.Add(std::move(lb));
}

}  // namespace infra::aws
