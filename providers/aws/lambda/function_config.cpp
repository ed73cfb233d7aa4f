// The configuration of aws_lambda_function (function_config.h).
#include "providers/aws/lambda/function_config.h"

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/lambda/lambda_service.h"

namespace infra::aws::lambda {

using namespace schema;
using kit::Conv;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;

std::vector<kit::Field> ConfigFields(const std::string& cfg) {
  auto at = [&](const char* path) { return cfg + path; };
  std::vector<kit::Field> f = {
      {"function_name", "FunctionName", at("FunctionName")},
      {"role", "Role", at("Role")},
      {"runtime", "Runtime", at("Runtime")},
      {"handler", "Handler", at("Handler")},
      {"description", "Description", at("Description")},
      {"package_type", "PackageType", at("PackageType")},
      {"memory_size", "MemorySize", at("MemorySize"), Conv::kNumber},
      {"timeout", "Timeout", at("Timeout"), Conv::kNumber},
      {"architectures", "Architectures", at("Architectures"), Conv::kStringList},
      {"environment.variables", "Environment.Variables", at("Environment.Variables"), Conv::kMap},
      {"vpc_config.subnet_ids", "VpcConfig.SubnetIds", at("VpcConfig.SubnetIds"), Conv::kStringList},
      {"vpc_config.security_group_ids", "VpcConfig.SecurityGroupIds", at("VpcConfig.SecurityGroupIds"),
       Conv::kStringList},
      {"dead_letter_config.target_arn", "DeadLetterConfig.TargetArn", at("DeadLetterConfig.TargetArn")},
      {"kms_key_arn", "KMSKeyArn", at("KMSKeyArn")},
      {"layers", "Layers", "-", Conv::kStringList, kit::kCreate},  // read as Layers[].Arn (ReadConfig)
      {"source_code_hash", "", at("CodeSha256"), Conv::kString, kit::kRead},
      {"arn", "", at("FunctionArn"), Conv::kString, kit::kRead},
      {"version", "", at("Version"), Conv::kString, kit::kRead},
      {"last_modified", "", at("LastModified"), Conv::kString, kit::kRead},
  };
  if (!cfg.empty()) {  // GetFunction only: ListFunctions has neither
    f.push_back({"reserved_concurrent_executions", "ReservedConcurrentExecutions",
                 "Concurrency.ReservedConcurrentExecutions", Conv::kNumber, kit::kRead});
    f.push_back({"image_uri", "", "Code.ImageUri", Conv::kString, kit::kRead});
  }
  return f;
}

void ReadConfig(const nlohmann::json& item, const std::string& cfg, Attributes& a) {
  const nlohmann::json c = cfg.empty() ? item : kit::JsonAt(item, "Configuration");
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : c.value("Layers", nlohmann::json::array())) layers.push_back(l.value("Arn", ""));
  a["layers"] = layers.empty() ? nlohmann::json() : layers;
  if (std::string vpc = kit::AttrText(c.value("VpcConfig", nlohmann::json::object()), "VpcId"); !vpc.empty())
    a["vpc_config"]["vpc_id"] = vpc;
  for (const char* block : {"environment", "vpc_config", "dead_letter_config"})
    if (!a.contains(block)) a[block] = nullptr;
  if (std::string invoke = InvokeArn(kit::AttrText(a, "arn")); !invoke.empty()) a["invoke_arn"] = invoke;
}

provider::ResourceSchema FunctionSchema() {
  provider::ResourceSchema s;
  s.type = "aws_lambda_function";
  s.service = "lambda";
  s.attributes = {
      Required("function_name", kForceNew),
      Required("role"),
      Optional("runtime"),
      Optional("handler"),
      Optional("description"),
      Optional("filename"),
      OptionalComputed("source_code_hash"),
      Optional("s3_bucket"),
      Optional("s3_key"),
      Optional("s3_object_version"),
      OptionalComputed("image_uri"),
      OneOf(Optional("package_type", kForceNew, AttrType::kString, "Zip"), {"Zip", "Image"}),
      Range(Optional("memory_size", kNone, AttrType::kNumber, 128), 128, 10240),
      Range(Optional("timeout", kNone, AttrType::kNumber, 3), 1, 900),
      Block("environment", AttrMode::kOptional, {Optional("variables", kSensitive, AttrType::kMapString)}),
      Range(Optional("reserved_concurrent_executions", kNone, AttrType::kNumber), 0, 100000),
      OptionalComputed("architectures", kNone, AttrType::kListString),
      Optional("layers", kNone, AttrType::kListString),
      Block("vpc_config", AttrMode::kOptional,
            {Required("subnet_ids", kNone, AttrType::kSetString), Required("security_group_ids", kNone, AttrType::kSetString),
             Computed("vpc_id")}),
      Block("dead_letter_config", AttrMode::kOptional, {Required("target_arn")}),
      Optional("kms_key_arn"),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("invoke_arn"),
      Computed("version"),
      Computed("last_modified"),
  };
  for (auto& a : s.attributes)  // removed from the stack = cleared (concurrency unset: the DR failover)
    a.unset_clears = a.name == "reserved_concurrent_executions" || a.name == "description" || a.name == "kms_key_arn";
  s.checks = {{provider::SchemaCheck::Kind::kExactlyOneOf, {"filename", "s3_bucket", "image_uri"}}};
  s.create_timeout = s.update_timeout = std::chrono::seconds(600);
  return s;
}

Attributes Cleared(const Attributes& prior, const Attributes& desired) {
  Attributes d = desired;
  auto gone = [&](const char* k) {
    return desired.value(k, nlohmann::json()).is_null() && !prior.value(k, nlohmann::json()).is_null();
  };
  if (gone("environment")) d["environment"] = {{"variables", nlohmann::json::object()}};
  if (gone("vpc_config"))
    d["vpc_config"] = {{"subnet_ids", nlohmann::json::array()}, {"security_group_ids", nlohmann::json::array()}};
  if (gone("dead_letter_config")) d["dead_letter_config"] = {{"target_arn", ""}};
  if (gone("layers")) d["layers"] = nlohmann::json::array();
  return d;
}

}  // namespace infra::aws::lambda
