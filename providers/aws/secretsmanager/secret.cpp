// aws_secretsmanager_secret: a secret's metadata (its value is the
// version's), replicated to other regions by `replica` blocks. The id is the
// ARN; DescribeSecret per secret; a secret scheduled for deletion reads as
// gone. Replicas are added / removed in place; the delete removes them
// first (AWS refuses otherwise) and honours recovery_window_in_days (0 =
// at once).
#include <memory>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/secretsmanager/secretsmanager_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;

std::map<std::string, nlohmann::json> Replicas(const Attributes& a) {
  std::map<std::string, nlohmann::json> out;
  if (a.is_object() && a.contains("replica") && a["replica"].is_array())
    for (const auto& r : a["replica"]) out[r.value("region", "")] = r;
  return out;
}

class SecretType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;

  Result<provider::ApplyResult> Update(const OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    const std::string id = kit::AttrText(prior, "id");
    auto before = Replicas(prior), after = Replicas(desired);
    nlohmann::json removed = nlohmann::json::array(), added = nlohmann::json::array();
    for (const auto& [region, r] : before)
      if (!after.count(region)) removed.push_back(region);
    for (const auto& [region, r] : after) {
      if (before.count(region)) continue;
      nlohmann::json one = {{"Region", region}};
      if (!kit::AttrText(r, "kms_key_id").empty()) one["KmsKeyId"] = r["kms_key_id"];
      added.push_back(one);
    }
    if (!removed.empty())
      if (auto r = call()(ctx.region, "RemoveRegionsFromReplication", {{"SecretId", id}, {"RemoveReplicaRegions", removed}});
          !r.ok())
        return r.error();
    if (!added.empty())
      if (auto r = call()(ctx.region, "ReplicateSecretToRegions", {{"SecretId", id}, {"AddReplicaRegions", added}});
          !r.ok())
        return r.error();
    return JsonSpecType::Update(ctx, prior, desired);
  }

  Result<provider::ApplyResult> Delete(const OperationContext& ctx, const Attributes& prior) override {
    nlohmann::json regions = nlohmann::json::array();
    for (const auto& [region, r] : Replicas(prior)) regions.push_back(region);
    if (!regions.empty()) {
      auto r = call()(ctx.region, "RemoveRegionsFromReplication",
                      {{"SecretId", kit::AttrText(prior, "id")}, {"RemoveReplicaRegions", regions}});
      if (!r.ok() && !IsNotFound(spec_.service, r.error())) return r.error();
    }
    return JsonSpecType::Delete(ctx, prior);
  }
};

kit::Spec SecretSpec() {
  provider::ResourceSchema s;
  s.type = "aws_secretsmanager_secret";
  s.service = "secretsmanager";
  s.attributes = {
      OptionalComputed("name", kForceNew),
      Optional("name_prefix", kForceNew),
      Optional("description"),
      Optional("kms_key_id"),
      Range(Optional("recovery_window_in_days", kNone, AttrType::kNumber, 30), 0, 30),
      Blocks("replica", AttrMode::kOptional, {Required("region"), OptionalComputed("kms_key_id"), Computed("status")}),
      Tags(),
      Computed("id"), Computed("arn"),
  };
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}}};
  kit::Spec spec{std::move(s), secretsmanager::Service(), {
      {"name", "Name", "", kit::Conv::kString, kit::kRead},  // create_body: name or prefix
      {"description", "Description"},
      {"kms_key_id", "KmsKeyId"},
      {"replica[].region", "AddReplicaRegions[].Region", "ReplicationStatus[].Region"},
      {"replica[].kms_key_id", "AddReplicaRegions[].KmsKeyId", "ReplicationStatus[].KmsKeyId"},
      {"replica[].status", "", "ReplicationStatus[].Status", kit::Conv::kString, kit::kRead},
      {"arn", "", "ARN", kit::Conv::kString, kit::kRead},
  }, {"CreateSecret", "ARN"}};
  spec.updates = {{{"description", "kms_key_id"}, "UpdateSecret", {"description", "kms_key_id"}}};
  spec.del = {"DeleteSecret", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeSecret", "SecretId", ""};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.json.id_member = "SecretId";
  spec.json.hooks.create_body = [](const OperationContext& ctx, const Attributes& desired, nlohmann::json& body) {
    body["Name"] = kit::NameOrPrefixed(desired, ctx, "terraform-");
  };
  spec.json.hooks.delete_body = [](const Attributes& prior, nlohmann::json& body) {
    auto days = prior.value("recovery_window_in_days", nlohmann::json(30));
    if (days == 0) body["ForceDeleteWithoutRecovery"] = true;
    else body["RecoveryWindowInDays"] = days;
  };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    if (item.contains("DeletedDate") && !item["DeletedDate"].is_null()) {
      a = nullptr;  // scheduled for deletion: gone for us
      return;
    }
    a["id"] = item.value("ARN", kit::AttrText(a, "id"));  // found by name (adoption): the id is still the ARN
  };
  return spec;
}

}  // namespace

namespace secretsmanager {
kit::Service Service() {
  kit::Service svc{"secretsmanager", kit::Protocol::kJson,
                   {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}, {}};
  auto& t = svc.tags.json;
  t.shape = kit::JsonTagging::Shape::kKeyValueUpper;
  t.create_member = "Tags";
  t.resource_member = "SecretId";
  t.tags_member = "Tags";
  t.keys_member = "TagKeys";
  t.list_action = "";
  t.read_member = "Tags";
  return svc;
}
}  // namespace secretsmanager

void AddSecretTypes(TypeRegistry& p) { p.Add(std::make_unique<SecretType>(p.client(), SecretSpec())); }

}  // namespace infra::aws
