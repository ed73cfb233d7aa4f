// SpecType: the one ResourceType implementation behind every declarative
// type (kit::Spec) on the XML protocols. Create, update, delete with its
// dependency retry, batched or per-id reads, waits, adoption by tag or name
// and import all follow from the spec; a type needing more subclasses it.
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/kit/spec.h"
#include "providers/provider.h"

namespace infra::aws::kit {

class SpecType : public provider::ResourceType {
 public:
  SpecType(std::shared_ptr<AwsClient> client, Spec spec);
  const provider::ResourceSchema& schema() const override { return spec_.schema; }
  const Spec& spec() const { return spec_; }

  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx,
                                       const provider::Attributes& desired) override;
  /// Runs each UpdateOp whose attributes changed, then the tag calls.
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  /// NotFound is success; a DeleteOp::retry_codes error returns pending and
  /// Poll(kDelete) tries again until DeleteOp::budget has passed.
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx,
                                       const provider::Attributes& prior) override;
  /// kDelete: one more delete; otherwise one read, checked against the Wait.
  Result<provider::PollResult> Poll(const provider::OperationContext& ctx, const provider::Attributes& current,
                                    provider::Phase phase) override;
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;
  /// The planning hooks: Spec::plan, or the contract's defaults.
  std::vector<std::string> RequiresReplace(const provider::Attributes& prior,
                                           const provider::Attributes& desired) const override {
    return spec_.plan.requires_replace ? spec_.plan.requires_replace(prior, desired) : std::vector<std::string>{};
  }
  provider::Attributes PlanKnown(const provider::OperationContext& ctx,
                                 const provider::Attributes& desired) const override {
    return spec_.plan.plan_known ? spec_.plan.plan_known(ctx, desired) : provider::Attributes::object();
  }
  Result<provider::Attributes> UpgradeState(int from, const provider::Attributes& stored) const override {
    return spec_.plan.upgrade ? spec_.plan.upgrade(from, stored) : Result<provider::Attributes>(stored);
  }
  /// Reads `id` and, for a taggable type, tags it infra:stack / infra:address.
  Result<provider::Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override;

 protected:
  /// The region calls are made in: the given one, or us-east-1 for a
  /// global service.
  std::string RegionFor(const std::string& region) const;
  /// Parameters naming `id` (Hooks::id_params, or {{read.id_param, id}}).
  QueryParams IdParams(const std::string& id) const;
  /// One read item as attributes through the field table and on_read; null
  /// when the item says the resource is gone.
  provider::Attributes FromItem(pugi::xml_node item, const std::string& id, const std::string& region) const;
  /// Read of one id after a mutation: its attributes, or a NotFound error.
  Result<provider::Attributes> ReadOne(const std::string& region, const std::string& id);
  /// The attributes of `id` read back, or `fallback` as pending while the
  /// new resource is not visible yet.
  Result<provider::ApplyResult> Finish(const std::string& region, const std::string& id,
                                       provider::Attributes fallback);
  Call call() const { return Call(client_.get(), &spec_.service); }

  std::shared_ptr<AwsClient> client_;
  Spec spec_;

 private:
  using Visit = std::function<void(const std::string& id, pugi::xml_node item)>;
  /// Reads `ids` by the read policy, calling `visit` per item found.
  Status ReadItems(const std::string& region, const std::vector<std::string>& ids, const Visit& visit);
  Status ReadList(const std::string& region, const std::vector<std::string>& chunk, const Visit& visit);
  Status Describe(const std::string& region, const QueryParams& params, const Visit& visit);
  Status DeleteOnce(const provider::OperationContext& ctx, const provider::Attributes& prior);
  /// `found` after Hooks::after_adopt.
  Result<std::optional<provider::Attributes>> Adopted(const provider::OperationContext& ctx,
                                                      provider::Attributes found, const provider::Attributes& desired);
  Result<provider::PollResult> RetryDelete(const provider::OperationContext& ctx, const provider::Attributes& current);
  bool IsRetryable(const Error& e) const;

  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> first_violation_;  // by id
};

}  // namespace infra::aws::kit
