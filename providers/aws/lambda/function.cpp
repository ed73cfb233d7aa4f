// aws_lambda_function: a function from a zip (filename + source_code_hash),
// an S3 object or an image. One field table serves CreateFunction, the
// configuration update and both reads: GetFunction per function (with tags
// and reserved concurrency) or, for many functions, ListFunctions 50 a page.
// The code is updated when source_code_hash (or where the code lives)
// changes, never compared by uploading; create and update wait for State
// Active and LastUpdateStatus Successful. A create refused because the new
// role cannot be assumed yet is a NotFound: the engine retries it within
// the role's consistency grace.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "providers/aws/kit/grouped_read_type.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/lambda/lambda_service.h"
#include "providers/aws/lambda/lambda_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using kit::Conv;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;
using provider::PollResult;

// Above this many functions in one region, refresh lists them all.
constexpr size_t kListFrom = 8;

// The field table over a FunctionConfiguration under `cfg` ("Configuration."
// in GetFunction's reply, "" in ListFunctions' items).
std::vector<kit::Field> Fields(const std::string& cfg) {
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
      {"layers", "Layers", "-", Conv::kStringList, kit::kCreate},  // read as Layers[].Arn (on_read)
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

// What the field table cannot say: layer ARNs, the VPC id, invoke_arn, and
// null for blocks AWS no longer reports (drift, not "kept from state").
void OnRead(const nlohmann::json& item, const std::string& cfg, Attributes& a) {
  const nlohmann::json c = cfg.empty() ? item : kit::JsonAt(item, "Configuration");
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : c.value("Layers", nlohmann::json::array())) layers.push_back(l.value("Arn", ""));
  a["layers"] = layers.empty() ? nlohmann::json() : layers;
  if (std::string vpc = kit::AttrText(c.value("VpcConfig", nlohmann::json::object()), "VpcId"); !vpc.empty())
    a["vpc_config"]["vpc_id"] = vpc;
  for (const char* block : {"environment", "vpc_config", "dead_letter_config"})
    if (!a.contains(block)) a[block] = nullptr;
  if (std::string invoke = lambda::InvokeArn(kit::AttrText(a, "arn")); !invoke.empty()) a["invoke_arn"] = invoke;
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

kit::Spec FunctionSpec() {
  kit::Spec spec{FunctionSchema(), lambda::Service(true), Fields("Configuration."), {"CreateFunction", ""}};
  spec.updates = {
      {{"role", "runtime", "handler", "description", "memory_size", "timeout", "environment", "vpc_config",
        "dead_letter_config", "kms_key_arn", "layers"},
       "UpdateFunctionConfiguration"},
      {{"reserved_concurrent_executions"}, "PutFunctionConcurrency", {}, {}, {}, "DeleteFunctionConcurrency"},
  };
  spec.del = {"DeleteFunction", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetFunction", "", ""};
  spec.adopt = {kit::Adoption::Kind::kByName, "function_name"};
  spec.json.id_member = "FunctionName";
  spec.json.routes = lambda::Routes();
  spec.json.hooks.create_body = [](const OperationContext&, const Attributes& desired, nlohmann::json& body) {
    if (auto code = lambda::CodeOf(desired); code.ok()) body["Code"] = *code;  // checked by Create
  };
  spec.json.hooks.after_create = [](const kit::JsonCall& call, const OperationContext& ctx, const std::string& id,
                                    const Attributes& desired) -> Status {
    auto n = desired.find("reserved_concurrent_executions");
    if (n == desired.end() || n->is_null()) return {};
    auto r = call(ctx.region, "PutFunctionConcurrency", {{"FunctionName", id}, {"ReservedConcurrentExecutions", *n}});
    return r.ok() ? Status() : Status(r.error());
  };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    OnRead(item, "Configuration.", a);
  };
  return spec;
}

// The same fields over ListFunctions' items (no tags, no concurrency: those
// keep what state recorded when refresh lists).
std::unique_ptr<kit::GroupedReadType> ListingType(std::shared_ptr<AwsClient> client) {
  kit::Spec spec{FunctionSchema(), lambda::Service(false), Fields(""), {"CreateFunction", ""}};
  spec.schema.taggable = false;
  spec.read = {kit::ReadPolicy::Kind::kIdList, "ListFunctions", "", "Functions", "FunctionName"};
  spec.json.routes = lambda::Routes();
  spec.json.page_token = "NextMarker";
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) { OnRead(item, "", a); };
  kit::GroupedRead grouped{[](const std::vector<std::string>&) { return std::vector<nlohmann::json>{{{"MaxItems", 50}}}; },
                           [](const nlohmann::json& item) { return std::vector<std::string>{kit::AttrText(item, "FunctionName")}; }};
  return std::make_unique<kit::GroupedReadType>(std::move(client), std::move(spec), std::move(grouped));
}

bool CodeChanged(const Attributes& prior, const Attributes& desired) {
  for (const char* k : {"source_code_hash", "filename", "s3_bucket", "s3_key", "s3_object_version", "image_uri",
                        "architectures"}) {
    nlohmann::json d = desired.value(k, nlohmann::json()), p = prior.value(k, nlohmann::json());
    if (!d.is_null() && d != p) return true;
  }
  return false;
}

// AWS accepts a new role before Lambda can assume it (IAM propagation).
bool RoleNotReady(const Error& e) {
  return e.code == "InvalidParameterValueException" &&
         (e.message.find("cannot be assumed by Lambda") != std::string::npos ||
          e.message.find("execution role does not have permissions") != std::string::npos);
}

class FunctionType : public kit::JsonSpecType {
 public:
  explicit FunctionType(std::shared_ptr<AwsClient> client)
      : JsonSpecType(client, FunctionSpec()), listing_(ListingType(client)) {}

  Result<provider::ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    if (auto code = lambda::CodeOf(desired); !code.ok()) return code.error();
    auto r = JsonSpecType::Create(ctx, desired);
    if (!r.ok() && RoleNotReady(r.error()))
      return MakeError(Error::Kind::kNotFound, "RoleNotAssumableYet",
                       fmt::format("{}: the role {} cannot be assumed by Lambda yet (IAM propagation): {}", ctx.address,
                                   kit::AttrText(desired, "role"), r.error().message));
    if (r.ok()) r->pending = true;  // Poll waits for State Active
    return r;
  }

  // The code first (UpdateFunctionCode), then the rest; a configuration
  // update refused while the code update is in progress is made by Poll
  // once LastUpdateStatus is Successful.
  Result<provider::ApplyResult> Update(const OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    const std::string id = kit::AttrText(prior, "id");
    if (CodeChanged(prior, desired)) {
      auto code = lambda::CodeOf(desired);
      if (!code.ok()) return code.error();
      nlohmann::json body = *code;
      body["FunctionName"] = id;
      kit::ToJsonWire(desired, "architectures", body, "Architectures", Conv::kStringList);
      if (auto r = call()(ctx.region, "UpdateFunctionCode", body); !r.ok()) return r.error();
    }
    auto r = JsonSpecType::Update(ctx, prior, Cleared(prior, desired));
    if (!r.ok() && r.error().code == "ResourceConflictException") {
      std::lock_guard lock(deferred_mu_);
      deferred_[id] = {prior, desired};
      Attributes a = prior;
      return provider::ApplyResult{a, true};
    }
    if (r.ok()) r->pending = true;  // Poll waits for LastUpdateStatus Successful
    return r;
  }

  Result<PollResult> Poll(const OperationContext& ctx, const Attributes& current, provider::Phase phase) override {
    if (phase == provider::Phase::kDelete) return JsonSpecType::Poll(ctx, current, phase);
    const std::string id = kit::AttrText(current, "id");
    auto got = call()(ctx.region, "GetFunction", {{"FunctionName", id}});
    if (!got.ok()) return got.error();  // NotFound: the engine's grace applies
    const nlohmann::json c = kit::JsonAt(*got, "Configuration");
    std::string state = kit::AttrText(c, "State"), update = kit::AttrText(c, "LastUpdateStatus");
    PollResult r;
    r.attributes = current;
    if (state == "Failed" || update == "Failed") {
      r.status = provider::PollStatus::kFailed;
      r.detail = fmt::format("function {} {}: {}", id, state == "Failed" ? "state Failed" : "update Failed",
                             kit::AttrText(c, state == "Failed" ? "StateReason" : "LastUpdateStatusReason"));
      return r;
    }
    if ((state.empty() || state == "Active") && (update.empty() || update == "Successful")) {
      std::optional<std::pair<Attributes, Attributes>> rest;
      {
        std::lock_guard lock(deferred_mu_);
        if (auto it = deferred_.find(id); it != deferred_.end()) rest = it->second, deferred_.erase(it);
      }
      if (!rest) return JsonSpecType::Poll(ctx, current, phase);
      auto u = JsonSpecType::Update(ctx, rest->first, Cleared(rest->first, rest->second));
      if (!u.ok()) return u.error();
      r.attributes = u->attributes;
    }
    r.status = provider::PollStatus::kPending;
    if (r.detail.empty()) r.detail = fmt::format("function {} state {}, last update {}", id, state, update);
    r.retry_after = std::chrono::milliseconds(2000);
    return r;
  }

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    if (ids.size() > kListFrom) return listing_->Read(region, ids);
    auto got = JsonSpecType::Read(region, ids);
    if (!got.ok()) return got;
    // GetFunction leaves Concurrency out when none is reserved (moto also
    // when 0 is): GetFunctionConcurrency says which.
    for (auto& [id, a] : *got) {
      if (a.contains("reserved_concurrent_executions")) continue;
      auto c = call()(region, "GetFunctionConcurrency", {{"FunctionName", id}});
      if (!c.ok() && !kit::IsNotFound(spec_.service, c.error())) return c.error();
      a["reserved_concurrent_executions"] = c.ok() ? c->value("ReservedConcurrentExecutions", nlohmann::json()) : nullptr;
    }
    return got;
  }

 private:
  // Blocks removed from the configuration are sent empty (AWS keeps a block
  // left out of UpdateFunctionConfiguration).
  static Attributes Cleared(const Attributes& prior, const Attributes& desired) {
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

  std::unique_ptr<kit::GroupedReadType> listing_;
  std::mutex deferred_mu_;
  std::map<std::string, std::pair<Attributes, Attributes>> deferred_;  // by id
};

}  // namespace

void AddLambdaFunctionTypes(TypeRegistry& p) { p.Add(std::make_unique<FunctionType>(p.client())); }

}  // namespace infra::aws
