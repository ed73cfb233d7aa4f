// SpecTypeBase: what the two kit runners (SpecType on the XML protocols,
// JsonSpecType on JSON and REST) share whatever the wire: the spec and the
// client, the region calls go to, the read-back after a mutation, and the
// contract's planning hooks answered from Spec::plan.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "providers/aws/kit/spec.h"
#include "providers/provider.h"

namespace infra::aws::kit {

class SpecTypeBase : public provider::ResourceType {
 public:
  const provider::ResourceSchema& schema() const override { return spec_.schema; }
  const Spec& spec() const { return spec_; }

  /// The planning hooks: Spec::plan, or the contract's defaults.
  std::vector<std::string> RequiresReplace(const provider::Attributes& prior,
                                           const provider::Attributes& desired) const override;
  provider::Attributes PlanKnown(const provider::OperationContext& ctx,
                                 const provider::Attributes& desired) const override;
  Result<provider::Attributes> UpgradeState(int from, const provider::Attributes& stored) const override;

 protected:
  SpecTypeBase(std::shared_ptr<AwsClient> client, Spec spec) : client_(std::move(client)), spec_(std::move(spec)) {}

  /// The region calls are made in: the given one, or us-east-1 for a
  /// global service.
  std::string RegionFor(const std::string& region) const;
  /// Read of one id after a mutation: its attributes, or a NotFound error.
  Result<provider::Attributes> ReadOne(const std::string& region, const std::string& id);
  /// The attributes of `id` read back, or `fallback` as pending while the
  /// new resource is not visible yet.
  Result<provider::ApplyResult> Finish(const std::string& region, const std::string& id,
                                       provider::Attributes fallback);
  /// `e` as a NotFound (retried within the engine's grace) when it is one
  /// of Spec::propagation's errors; otherwise `e` unchanged.
  Error Propagating(const provider::OperationContext& ctx, Error e) const;

  std::shared_ptr<AwsClient> client_;
  Spec spec_;
};

}  // namespace infra::aws::kit
