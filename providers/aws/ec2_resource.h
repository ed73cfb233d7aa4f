// Ec2ResourceType: the base of every EC2 network type (schema + client), and
// the EC2 wire bits they share: form parameters, tag specifications, filters,
// XML field reading and the batched describe with its NotFound fallback.
#pragma once
#include <memory>
#include <string>

#include "providers/provider.h"

namespace infra::aws {

class AwsClient;

/// Base of the EC2 types. Until a type overrides an operation it returns a
/// kInternal "not implemented" error.
class Ec2ResourceType : public provider::ResourceType {
 public:
  Ec2ResourceType(std::shared_ptr<AwsClient> client, provider::ResourceSchema schema);
  const provider::ResourceSchema& schema() const override { return schema_; }

  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx,
                                       const provider::Attributes& desired) override;
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx,
                                       const provider::Attributes& prior) override;
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;

 protected:
  Error NotImplemented(std::string_view op) const;

  std::shared_ptr<AwsClient> client_;
  provider::ResourceSchema schema_;
};

}  // namespace infra::aws
