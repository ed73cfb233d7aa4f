// aws_lb_listener (a port of a load balancer and its default actions:
// forward, redirect, fixed-response; HTTPS with a certificate and an SSL
// policy) and aws_lb_listener_rule (actions taken when path or host
// conditions match, by priority). Everything but the parent is changed in
// place (ModifyListener, ModifyRule, SetRulePriorities).
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

Status Send(const kit::Call& call, const std::string& region, const std::string& action, const QueryParams& p) {
  auto r = call(region, action, p);
  return r.ok() ? Status() : Status(r.error());
}

kit::Spec ListenerSpec() {
  auto s = elbv2::Schema("aws_lb_listener", {
      Required("load_balancer_arn", kForceNew),
      Range(Optional("port", kNone, AttrType::kNumber), 1, 65535),
      OneOf(OptionalComputed("protocol"), {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"}),
      Optional("certificate_arn"),
      OptionalComputed("ssl_policy"),
      Blocks("default_action", AttrMode::kRequired, elbv2::ActionBlock()),
      Tags(),
      Computed("id"), Computed("arn"),
  });
  kit::Spec spec{std::move(s), elbv2::Service(), {
      {"load_balancer_arn", "LoadBalancerArn"},
      {"port", "Port", "", kit::Conv::kNumber},
      {"protocol", "Protocol"},
      {"certificate_arn", "Certificates.member.1.CertificateArn", "Certificates/member/CertificateArn"},
      {"ssl_policy", "SslPolicy"},
      {"arn", "", "ListenerArn", kit::Conv::kString, kit::kRead},
  }, {"CreateListener", "CreateListenerResult/Listeners/member/ListenerArn"}};
  // ModifyListener takes the listener whole: send every field that is set.
  spec.updates = {elbv2::RunWhen({"port", "protocol", "certificate_arn", "ssl_policy", "default_action"},
                                 [](const kit::Call& call, const std::string& region, const std::string& id,
                                    const Attributes&, const Attributes& desired) {
    QueryParams p = {{"ListenerArn", id}};
    kit::AddParam(p, kit::Protocol::kQuery, "Port", kit::Conv::kNumber, elbv2::GetPath(desired, "port"));
    kit::AddParam(p, kit::Protocol::kQuery, "Protocol", kit::Conv::kString, elbv2::GetPath(desired, "protocol"));
    kit::AddParam(p, kit::Protocol::kQuery, "SslPolicy", kit::Conv::kString, elbv2::GetPath(desired, "ssl_policy"));
    kit::AddParam(p, kit::Protocol::kQuery, "Certificates.member.1.CertificateArn", kit::Conv::kString,
                  elbv2::GetPath(desired, "certificate_arn"));
    elbv2::AddActions(p, "DefaultActions", elbv2::GetPath(desired, "default_action"));
    return Send(call, region, "ModifyListener", p);
  })};
  spec.del = {"DeleteListener", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeListeners", "ListenerArns",
               "DescribeListenersResult/Listeners", "ListenerArn", "", 20};
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"ListenerArn", id}}; };
  spec.hooks.create_params = [](const OperationContext&, const Attributes& desired, QueryParams& p) {
    elbv2::AddActions(p, "DefaultActions", elbv2::GetPath(desired, "default_action"));
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    a["default_action"] = elbv2::ReadActions(XmlPath(item, "DefaultActions"));
  };
  return spec;
}

// A rule's ARN holds its listener's: .../listener-rule/app/<lb>/<id>/<listener>/<rule>.
std::string ListenerOfRule(const std::string& rule_arn) {
  auto at = rule_arn.find(":listener-rule/");
  auto last = rule_arn.rfind('/');
  if (at == std::string::npos || last <= at) return {};
  return rule_arn.substr(0, at) + ":listener/" + rule_arn.substr(at + 15, last - at - 15);
}

kit::Spec RuleSpec() {
  auto s = elbv2::Schema("aws_lb_listener_rule", {
      Required("listener_arn", kForceNew),
      Range(Required("priority", kNone, AttrType::kNumber), 1, 50000),
      Blocks("action", AttrMode::kRequired, elbv2::ActionBlock()),
      Blocks("condition", AttrMode::kRequired, elbv2::ConditionBlock()),
      Tags(),
      Computed("id"), Computed("arn"),
  });
  kit::Spec spec{std::move(s), elbv2::Service(), {
      {"listener_arn", "ListenerArn", "-"},  // not in the reply: follows from the rule's ARN
      {"priority", "Priority", "", kit::Conv::kNumber},
      {"arn", "", "RuleArn", kit::Conv::kString, kit::kRead},
  }, {"CreateRule", "CreateRuleResult/Rules/member/RuleArn"}};
  spec.updates = {
      elbv2::RunWhen({"priority"}, [](const kit::Call& call, const std::string& region, const std::string& id,
                                      const Attributes&, const Attributes& desired) {
        QueryParams p = {{"RulePriorities.member.1.RuleArn", id}};
        kit::AddParam(p, kit::Protocol::kQuery, "RulePriorities.member.1.Priority", kit::Conv::kNumber,
                      elbv2::GetPath(desired, "priority"));
        return Send(call, region, "SetRulePriorities", p);
      }),
      elbv2::RunWhen({"action", "condition"}, [](const kit::Call& call, const std::string& region,
                                                 const std::string& id, const Attributes&, const Attributes& desired) {
        QueryParams p = {{"RuleArn", id}};
        elbv2::AddConditions(p, elbv2::GetPath(desired, "condition"));
        elbv2::AddActions(p, "Actions", elbv2::GetPath(desired, "action"));
        return Send(call, region, "ModifyRule", p);
      }),
  };
  spec.del = {"DeleteRule", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeRules", "RuleArns", "DescribeRulesResult/Rules", "RuleArn",
               "", 20};
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"RuleArn", id}}; };
  spec.hooks.create_params = [](const OperationContext&, const Attributes& desired, QueryParams& p) {
    elbv2::AddConditions(p, elbv2::GetPath(desired, "condition"));
    elbv2::AddActions(p, "Actions", elbv2::GetPath(desired, "action"));
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    a["listener_arn"] = ListenerOfRule(kit::AttrText(a, "id"));
    a["action"] = elbv2::ReadActions(XmlPath(item, "Actions"));
    a["condition"] = elbv2::ReadConditions(XmlPath(item, "Conditions"));
  };
  return spec;
}

}  // namespace

void AddElbv2ListenerTypes(TypeRegistry& p) {
  p.Add(std::make_unique<elbv2::Elbv2Type>(p.client(), ListenerSpec(), [](const Attributes& desired) {
    return QueryParams{{"LoadBalancerArn", kit::AttrText(desired, "load_balancer_arn")}};
  }));
  p.Add(std::make_unique<elbv2::Elbv2Type>(p.client(), RuleSpec(), [](const Attributes& desired) {
    return QueryParams{{"ListenerArn", kit::AttrText(desired, "listener_arn")}};
  }));
}

}  // namespace infra::aws
