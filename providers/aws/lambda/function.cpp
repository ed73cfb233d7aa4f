// aws_lambda_function: a function from a zip (filename + source_code_hash),
// an S3 object or an image. One field table (function_config.h) serves
// CreateFunction, the configuration update and both reads: GetFunction per
// function (with tags and reserved concurrency) or, for many functions,
// ListFunctions 50 a page plus each one's tags and concurrency
// (function_reads.h). The code is updated when source_code_hash (or where
// the code lives) changes (function_code.h); create and update wait for
// State Active and LastUpdateStatus Successful (function_status.h).
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/lambda/function_code.h"
#include "providers/aws/lambda/function_config.h"
#include "providers/aws/lambda/function_reads.h"
#include "providers/aws/lambda/function_status.h"
#include "providers/aws/lambda/lambda_service.h"
#include "providers/aws/lambda/lambda_types.h"

namespace infra::aws {
namespace {

using provider::Attributes;
using provider::OperationContext;
using provider::PollResult;

// Above this many functions in one region, refresh lists them all.
constexpr size_t kListFrom = 8;

kit::Spec FunctionSpec() {
  kit::Spec spec{lambda::FunctionSchema(), lambda::Service(true), lambda::ConfigFields("Configuration."),
                 {"CreateFunction", ""}};
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
    lambda::ReadConfig(item, "Configuration.", a);
  };
  return spec;
}

class FunctionType : public kit::JsonSpecType {
 public:
  explicit FunctionType(std::shared_ptr<AwsClient> client)
      : JsonSpecType(client, FunctionSpec()), listing_(std::make_unique<lambda::FunctionListing>(client)) {}

  Result<provider::ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    if (auto code = lambda::CodeOf(desired); !code.ok()) return code.error();
    auto r = JsonSpecType::Create(ctx, desired);
    if (!r.ok() && lambda::RoleNotReady(r.error()))
      return lambda::RoleNotReadyYet(r.error(), ctx.address, kit::AttrText(desired, "role"));
    if (r.ok()) r->pending = true;  // Poll waits for State Active
    return r;
  }

  // The code first (UpdateFunctionCode), then the rest; a configuration
  // update refused while the code update is in progress is made by Poll
  // once LastUpdateStatus is Successful.
  Result<provider::ApplyResult> Update(const OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    const std::string id = kit::AttrText(prior, "id");
    if (lambda::CodeChanged(prior, desired))
      if (auto st = lambda::UpdateCode(call(), ctx.region, id, desired); !st.ok()) return st.error();
    auto r = JsonSpecType::Update(ctx, prior, lambda::Cleared(prior, desired));
    if (!r.ok() && r.error().code == "ResourceConflictException") {
      std::lock_guard lock(deferred_mu_);
      deferred_[id] = {prior, desired};
      return provider::ApplyResult{prior, true};
    }
    if (r.ok()) r->pending = true;  // Poll waits for LastUpdateStatus Successful
    return r;
  }

  Result<PollResult> Poll(const OperationContext& ctx, const Attributes& current, provider::Phase phase) override {
    if (phase == provider::Phase::kDelete) return JsonSpecType::Poll(ctx, current, phase);
    const std::string id = kit::AttrText(current, "id");
    auto got = call()(ctx.region, "GetFunction", {{"FunctionName", id}});
    if (!got.ok()) return got.error();  // NotFound: the engine's grace applies
    PollResult r = lambda::FunctionStatus(kit::JsonAt(*got, "Configuration"), id);
    r.attributes = current;
    if (r.status != provider::PollStatus::kReady) return r;
    std::optional<std::pair<Attributes, Attributes>> rest;
    {
      std::lock_guard lock(deferred_mu_);
      if (auto it = deferred_.find(id); it != deferred_.end()) rest = it->second, deferred_.erase(it);
    }
    if (!rest) return JsonSpecType::Poll(ctx, current, phase);
    auto u = JsonSpecType::Update(ctx, rest->first, lambda::Cleared(rest->first, rest->second));
    if (!u.ok()) return u.error();
    r.attributes = u->attributes;
    r.status = provider::PollStatus::kPending;  // the deferred update's LastUpdateStatus next
    r.detail = "function " + id + ": configuration update sent after the code update";
    r.retry_after = std::chrono::milliseconds(2000);
    return r;
  }

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    if (ids.size() > kListFrom) return listing_->Read(region, ids);
    auto got = JsonSpecType::Read(region, ids);
    if (!got.ok()) return got;
    for (auto& [id, a] : *got)
      if (auto st = lambda::ReadConcurrency(call(), region, id, a); !st.ok()) return st.error();
    return got;
  }

 private:
  std::unique_ptr<lambda::FunctionListing> listing_;
  std::mutex deferred_mu_;
  std::map<std::string, std::pair<Attributes, Attributes>> deferred_;  // by id
};

}  // namespace

void AddLambdaFunctionTypes(TypeRegistry& p) { p.Add(std::make_unique<FunctionType>(p.client())); }

}  // namespace infra::aws
