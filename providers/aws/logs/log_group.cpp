// aws_cloudwatch_log_group: a log group with its retention (one of the
// values AWS allows, checked at validate: moto accepts any number), KMS key
// and tags (a map; TagResource / ListTagsForResource by the ARN without
// DescribeLogGroups' ":*"). The id is the name; reads are batched by
// logGroupIdentifiers (50 a call).
#include <memory>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/logs/logs_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

kit::Spec LogGroupSpec() {
  provider::ResourceSchema s;
  s.type = "aws_cloudwatch_log_group";
  s.service = "logs";
  s.attributes = {
      OptionalComputed("name", kForceNew),
      Optional("name_prefix", kForceNew),
      OneOf(Optional("retention_in_days", kNone, AttrType::kNumber),
            {"1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096",
             "1827", "2192", "2557", "2922", "3288", "3653"}),
      Optional("kms_key_id"),
      Tags(),
      Computed("id"),
      Computed("arn"),
  };
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}}};
  kit::Service svc{"logs", kit::Protocol::kJson, {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}};
  kit::Spec spec{std::move(s), svc, {
      {"name", "logGroupName", "", kit::Conv::kString, kit::kRead},   // sent by create_body
      {"kms_key_id", "kmsKeyId"},
      {"retention_in_days", "retentionInDays", "", kit::Conv::kNumber, kit::kRead},  // after_create
      {"arn", "", "arn", kit::Conv::kString, kit::kRead},
  }, {"CreateLogGroup", ""}};
  spec.updates = {
      {{"retention_in_days"}, "PutRetentionPolicy", {}, {}, {}, "DeleteRetentionPolicy"},
      {{"kms_key_id"}, "AssociateKmsKey", {}, {}, {}, "DisassociateKmsKey"},
  };
  spec.del = {"DeleteLogGroup", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeLogGroups", "logGroupIdentifiers", "logGroups", "logGroupName"};
  spec.read.max_ids = 50;
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.json.id_member = "logGroupName";
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes& desired,
                                   nlohmann::json& body) { body["logGroupName"] = kit::NameOrPrefixed(desired, ctx); };
  spec.json.hooks.after_create = [](const kit::JsonCall& call, const provider::OperationContext& ctx,
                                    const std::string& id, const Attributes& desired) -> Status {
    auto days = desired.find("retention_in_days");
    if (days == desired.end() || days->is_null()) return {};
    nlohmann::json body = {{"logGroupName", id}};
    kit::ToJsonWire(desired, "retention_in_days", body, "retentionInDays", kit::Conv::kNumber);
    auto r = call(ctx.region, "PutRetentionPolicy", body);
    return r.ok() ? Status() : Status(r.error());
  };
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string&, Attributes& a) {
    std::string arn = kit::AttrText(a, "arn");  // "arn:...:log-group:name:*" -> without ":*", as Terraform
    if (arn.size() > 2 && arn.compare(arn.size() - 2, 2, ":*") == 0) a["arn"] = arn.substr(0, arn.size() - 2);
  };
  return spec;
}

}  // namespace

void AddLogGroupTypes(TypeRegistry& p) { p.Add(std::make_unique<kit::JsonSpecType>(p.client(), LogGroupSpec())); }

}  // namespace infra::aws
