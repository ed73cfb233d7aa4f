// aws_ecs_service: a service in a cluster (Fargate, awsvpc, behind target
// groups). The id is "cluster-name/service-name" (Terraform's import form).
// desired_count, task_definition, the deployment settings and the network
// change in place (UpdateService); name, cluster, launch_type and
// load_balancer force a new service. After create and update it waits for
// status ACTIVE with the desired count set, and, with wait_for_steady_state,
// for runningCount = desiredCount in one deployment. Delete is forced and
// waits while the service is DRAINING. Reads batch DescribeServices by 10
// names per cluster; a repeated create first adopts the service of that name
// if it carries this address's tags (moto would overwrite it otherwise).
#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "providers/aws/ecs/ecs_types.h"
#include "providers/aws/kit/grouped_read_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::PollResult;
using provider::PollStatus;

std::pair<std::string, std::string> ClusterAndName(const std::string& id) {
  auto slash = id.find('/');
  return slash == std::string::npos ? std::pair{std::string("default"), id}
                                    : std::pair{id.substr(0, slash), id.substr(slash + 1)};
}

std::string ServiceId(const Attributes& desired) {
  std::string cluster = kit::AttrText(desired, "cluster");
  return (cluster.empty() ? "default" : ecs::LastPart(cluster)) + "/" + kit::AttrText(desired, "name");
}

// assign_public_ip is a bool in the stack and ENABLED / DISABLED on the wire.
void AddAssignPublicIp(const Attributes& desired, nlohmann::json& body) {
  auto net = kit::JsonAt(desired, "network_configuration");
  if (!net.is_object()) return;
  auto ip = kit::JsonAt(net, "assign_public_ip");
  bool on = ip == true || ip == "true";
  body["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] = on ? "ENABLED" : "DISABLED";
}

kit::Spec ServiceSpec() {
  provider::ResourceSchema s;
  s.type = "aws_ecs_service";
  s.service = "ecs";
  s.attributes = {
      Required("name", kForceNew),
      OptionalComputed("cluster", kForceNew),
      Required("task_definition"),
      Optional("desired_count", kNone, AttrType::kNumber, 0),
      OneOf(OptionalComputed("launch_type", kForceNew), {"FARGATE", "EC2", "EXTERNAL"}),
      OptionalComputed("platform_version"),
      Block("network_configuration", AttrMode::kOptional,
            {Required("subnets", kNone, AttrType::kSetString), Optional("security_groups", kNone, AttrType::kSetString),
             OptionalComputed("assign_public_ip", kNone, AttrType::kBool)}),
      Blocks("load_balancer", AttrMode::kOptional,
             {Required("target_group_arn"), Required("container_name"), Required("container_port", kNone, AttrType::kNumber)},
             kForceNew),
      Range(OptionalComputed("deployment_minimum_healthy_percent", kNone, AttrType::kNumber), 0, 100),
      Range(OptionalComputed("deployment_maximum_percent", kNone, AttrType::kNumber), 100, 200),
      Block("deployment_circuit_breaker", AttrMode::kOptionalComputed,
            {Required("enable", kNone, AttrType::kBool), Required("rollback", kNone, AttrType::kBool)}),
      OptionalComputed("enable_execute_command", kNone, AttrType::kBool),
      Optional("health_check_grace_period_seconds", kNone, AttrType::kNumber),
      OneOf(Optional("propagate_tags"), {"NONE", "SERVICE", "TASK_DEFINITION"}),
      Optional("wait_for_steady_state", kNone, AttrType::kBool),  // an instruction (unset: false), never sent
      Tags(),
      Computed("id"),
      Computed("arn"),
  };
  const std::string vpc = "networkConfiguration.awsvpcConfiguration.", dc = "deploymentConfiguration.";
  kit::Spec spec{std::move(s), ecs::Service(), {
      {"name", "serviceName"},
      {"cluster", "cluster", "clusterArn"},  // the ARN (as ${cluster.arn} gives it)
      {"task_definition", "taskDefinition"},
      {"desired_count", "desiredCount", "", kit::Conv::kNumber},
      {"launch_type", "launchType"},
      {"platform_version", "platformVersion"},
      {"network_configuration.subnets", vpc + "subnets", "", kit::Conv::kStringList},
      {"network_configuration.security_groups", vpc + "securityGroups", "", kit::Conv::kStringList},
      {"load_balancer[].target_group_arn", "loadBalancers[].targetGroupArn"},
      {"load_balancer[].container_name", "loadBalancers[].containerName"},
      {"load_balancer[].container_port", "loadBalancers[].containerPort", "", kit::Conv::kNumber},
      {"deployment_minimum_healthy_percent", dc + "minimumHealthyPercent", "", kit::Conv::kNumber},
      {"deployment_maximum_percent", dc + "maximumPercent", "", kit::Conv::kNumber},
      {"deployment_circuit_breaker.enable", dc + "deploymentCircuitBreaker.enable", "", kit::Conv::kBool},
      {"deployment_circuit_breaker.rollback", dc + "deploymentCircuitBreaker.rollback", "", kit::Conv::kBool},
      {"enable_execute_command", "enableExecuteCommand", "", kit::Conv::kBool},
      {"health_check_grace_period_seconds", "healthCheckGracePeriodSeconds", "", kit::Conv::kNumber},
      {"propagate_tags", "propagateTags"},
      {"arn", "", "serviceArn", kit::Conv::kString, kit::kRead},
  }, {"CreateService", ""}};
  // One call per group that changed: the count alone (autoscaling moves it too), the revision alone.
  spec.updates = {{{"desired_count"}, "UpdateService"}, {{"task_definition"}, "UpdateService"},
                  {{"deployment_minimum_healthy_percent", "deployment_maximum_percent", "deployment_circuit_breaker"},
                   "UpdateService"},
                  {{"enable_execute_command", "health_check_grace_period_seconds", "platform_version", "propagate_tags"},
                   "UpdateService"}};
  spec.del = {"DeleteService", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeServices", "services", "services"};
  spec.json.hooks.id_body = [](const std::string& id) {
    auto [cluster, name] = ClusterAndName(id);
    return nlohmann::json{{"cluster", cluster}, {"service", name}};
  };
  spec.json.hooks.id_of = [](const Attributes& desired, const nlohmann::json&) { return ServiceId(desired); };
  spec.json.hooks.create_body = [](const provider::OperationContext&, const Attributes& desired,
                                   nlohmann::json& body) { AddAssignPublicIp(desired, body); };
  spec.json.hooks.delete_body = [](const Attributes&, nlohmann::json& body) { body["force"] = true; };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    auto ip = kit::JsonAt(item, "networkConfiguration.awsvpcConfiguration.assignPublicIp");
    if (a.contains("network_configuration") && ip.is_string())
      a["network_configuration"]["assign_public_ip"] = ip.get<std::string>() == "ENABLED";
    if (kit::AttrText(item, "status") == "INACTIVE") a = nullptr;  // deleted: listed a while longer
  };
  // A service role made seconds ago (IAM propagation), as Terraform's retryServiceCreate.
  spec.propagation = {{"InvalidParameterException", "verify that the ECS service role being passed has the proper"},
                      {"InvalidParameterException", "Unable to assume role"},
                      {"InvalidParameterException", "Unable to assume the service linked role"}};
  return spec;
}

kit::GroupedRead ServiceRead() {
  kit::GroupedRead r;
  r.bodies = [](const std::vector<std::string>& ids) {  // 10 services a call, one cluster each
    return kit::BodiesByParent(ids, 10, ClusterAndName, [](const std::string& cluster, const auto& names) {
      return nlohmann::json{{"cluster", cluster}, {"services", names}, {"include", {"TAGS"}}};
    });
  };
  r.adopt_id = ServiceId;
  r.item_ids = [](const nlohmann::json& item) {
    return std::vector<std::string>{ecs::LastPart(kit::AttrText(item, "clusterArn")) + "/" +
                                    kit::AttrText(item, "serviceName")};
  };
  return r;
}

// The waits, the forced delete and the network update around the spec.
class ServiceType : public kit::GroupedReadType {
 public:
  using GroupedReadType::GroupedReadType;
  // Poll decides: ACTIVE with the desired count (or steady); no longer DRAINING.
  static Result<provider::ApplyResult> Pending(Result<provider::ApplyResult> r) {
    if (r.ok()) r->pending = true;
    return r;
  }
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx, const Attributes& desired) override {
    return Pending(GroupedReadType::Create(ctx, desired));
  }
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx, const Attributes& prior) override {
    return Pending(GroupedReadType::Delete(ctx, prior));
  }
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    const auto* net = spec_.schema.Find("network_configuration");
    if (!provider::SameValue(*net, kit::JsonAt(prior, "network_configuration"),
                             kit::JsonAt(desired, "network_configuration"))) {
      nlohmann::json body = IdBody(kit::AttrText(prior, "id"));
      for (const auto& f : spec_.fields)
        if (f.attr.rfind("network_configuration.", 0) == 0) kit::ToJsonWire(desired, f.attr, body, f.param, f.conv);
      AddAssignPublicIp(desired, body);
      if (auto r = call()(ctx.region, "UpdateService", body); !r.ok()) return r.error();
    }
    return Pending(GroupedReadType::Update(ctx, prior, desired));
  }
  Result<PollResult> Poll(const provider::OperationContext& ctx, const Attributes& current,
                          provider::Phase phase) override {
    const std::string id = kit::AttrText(current, "id");
    auto found = ReadFound(ctx.region, {id});
    if (!found.ok()) return found.error();
    auto it = found->find(id);
    PollResult r;
    r.attributes = current;
    r.retry_after = std::chrono::milliseconds(5000);
    if (phase == provider::Phase::kDelete) {
      if (it == found->end()) return r;  // INACTIVE or gone
      r.status = PollStatus::kPending;
      r.detail = "status " + kit::AttrText(it->second.item, "status");
      return r;
    }
    if (it == found->end())
      return MakeError(Error::Kind::kNotFound, "ServiceNotFoundException", fmt::format("service {} not found", id));
    const nlohmann::json& item = it->second.item;
    r.attributes = it->second.attributes;
    auto count = [](const nlohmann::json& v) {
      return v.is_number() ? v.get<long>() : v.is_string() ? std::atol(v.get<std::string>().c_str()) : 0L;
    };
    long want = count(kit::JsonAt(current, "desired_count"));
    long desired = count(kit::JsonAt(item, "desiredCount")), running = count(kit::JsonAt(item, "runningCount"));
    auto wait = kit::JsonAt(current, "wait_for_steady_state");
    bool steady = wait == true || wait == "true";
    if (kit::AttrText(item, "status") != "ACTIVE") r.detail = "status " + kit::AttrText(item, "status");
    else if (desired != want) r.detail = fmt::format("desired count {} of {}", desired, want);
    else if (steady && (running != desired || kit::JsonAt(item, "deployments").size() != 1))
      r.detail = fmt::format("{} of {} tasks running", running, desired);
    else return r;
    r.status = PollStatus::kPending;
    return r;
  }
};

}  // namespace

void AddEcsServiceTypes(TypeRegistry& p) {
  p.Add(std::make_unique<ServiceType>(p.client(), ServiceSpec(), ServiceRead()));
}

}  // namespace infra::aws
