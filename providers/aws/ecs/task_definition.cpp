// aws_ecs_task_definition: one revision of a family. A revision never
// changes, so every change registers a new one and deregisters the old
// (a replacement); only tags change in place. container_definitions is a
// YAML list of maps or a JSON string, compared as a JSON document. AWS
// fills defaults into what it returns (essential, cpu 0, empty lists,
// portMappings protocol / hostPort), so a refresh keeps the definitions as
// state recorded them (the revision cannot drift) and only an import reads
// them, without those defaults (ContainerDefinitionsWithoutDefaults).
#include <memory>

#include "providers/aws/ecs/container_definitions.h"
#include "providers/aws/ecs/ecs_types.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

kit::Spec TaskDefinitionSpec() {
  provider::ResourceSchema s;
  s.type = "aws_ecs_task_definition";
  s.service = "ecs";
  s.attributes = {
      Required("family", kForceNew),
      Compared(Required("container_definitions", kForceNew, AttrType::kAny), provider::Equality::kJsonDocument),
      OptionalComputed("requires_compatibilities", kForceNew, AttrType::kSetString),
      OneOf(OptionalComputed("network_mode", kForceNew), {"awsvpc", "bridge", "host", "none"}),
      Optional("cpu", kForceNew),
      Optional("memory", kForceNew),
      Optional("execution_role_arn", kForceNew),
      Optional("task_role_arn", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("arn_without_revision"),
      Computed("revision", AttrType::kNumber),
  };
  const std::string td = "taskDefinition.";  // DescribeTaskDefinition: the revision, and tags beside it
  kit::Service svc = ecs::Service();
  svc.not_found_codes.push_back("ClientException");  // "Unable to describe task definition."
  kit::Spec spec{std::move(s), svc, {
      {"family", "family", td + "family"},
      {"requires_compatibilities", "requiresCompatibilities", td + "requiresCompatibilities", kit::Conv::kStringList},
      {"network_mode", "networkMode", td + "networkMode"},
      {"cpu", "cpu", td + "cpu"},
      {"memory", "memory", td + "memory"},
      {"execution_role_arn", "executionRoleArn", td + "executionRoleArn"},
      {"task_role_arn", "taskRoleArn", td + "taskRoleArn"},
      {"arn", "", td + "taskDefinitionArn", kit::Conv::kString, kit::kRead},
      {"revision", "", td + "revision", kit::Conv::kNumber, kit::kRead},
  }, {"RegisterTaskDefinition", "taskDefinition.taskDefinitionArn"}};
  spec.del = {"DeregisterTaskDefinition", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeTaskDefinition", "", ""};
  spec.adopt = {kit::Adoption::Kind::kByName, "family"};  // the family's latest revision, if it is ours
  // A task or execution role made seconds ago (IAM propagation), as Terraform retries.
  spec.propagation = {{"ClientException", "Role is not valid"}};
  spec.json.hooks.id_body = [](const std::string& id) {
    return nlohmann::json{{"taskDefinition", id}, {"include", {"TAGS"}}};
  };
  spec.json.hooks.delete_body = [](const Attributes&, nlohmann::json& body) { body.erase("include"); };
  spec.json.hooks.create_body = [](const provider::OperationContext&, const Attributes& desired,
                                   nlohmann::json& body) {
    body["containerDefinitions"] = ecs::ContainerDefinitionsList(kit::JsonAt(desired, "container_definitions"));
  };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    if (kit::AttrText(kit::JsonAt(item, "taskDefinition"), "status") != "ACTIVE") {
      a = nullptr;  // deregistered (INACTIVE) or not there
      return;
    }
    std::string arn = kit::AttrText(a, "arn");
    a["id"] = arn;  // also when read by family (adoption)
    a["arn_without_revision"] = arn.substr(0, arn.rfind(':'));
  };
  return spec;
}

// Import reads the definitions once, without AWS's defaults; adoption
// never takes the old revision of a replacement (the family's latest).
class TaskDefinitionType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    auto found = JsonSpecType::FindByAddress(ctx, desired);
    if (!found.ok() || !*found) return found;
    const std::string id = kit::AttrText(**found, "id");
    for (const auto& old : ctx.exclude_ids)
      if (old == id) return std::optional<Attributes>();
    return found;
  }
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (!got.ok()) return got;
    auto reply = call()(ctx.region, "DescribeTaskDefinition", nlohmann::json{{"taskDefinition", id}});
    if (!reply.ok()) return reply.error();
    (*got)["container_definitions"] =
        ecs::ContainerDefinitionsWithoutDefaults(kit::JsonAt(*reply, "taskDefinition.containerDefinitions"),
                                                 kit::AttrText(*got, "network_mode"));
    return got;
  }
};

}  // namespace

void AddEcsTaskDefinitionTypes(TypeRegistry& p) {
  p.Add(std::make_unique<TaskDefinitionType>(p.client(), TaskDefinitionSpec()));
}

}  // namespace infra::aws
