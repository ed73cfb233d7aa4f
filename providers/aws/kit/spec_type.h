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
#include "providers/aws/kit/spec_type_base.h"
#include "providers/provider.h"

namespace infra::aws::kit {

class SpecType : public SpecTypeBase {
 public:
  SpecType(std::shared_ptr<AwsClient> client, Spec spec);

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
  /// Reads `id` and, for a taggable type, tags it infra:stack / infra:address.
  Result<provider::Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override;

 protected:
  /// Parameters naming `id` (Hooks::id_params, or {{read.id_param, id}}).
  QueryParams IdParams(const std::string& id) const;
  /// One read item as attributes through the field table and on_read; null
  /// when the item says the resource is gone.
  provider::Attributes FromItem(pugi::xml_node item, const std::string& id, const std::string& region) const;
  Call call() const { return Call(client_.get(), &spec_.service); }

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
