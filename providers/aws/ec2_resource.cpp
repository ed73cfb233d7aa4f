// Shared EC2 plumbing for the network family (see ec2_resource.h).
#include "providers/aws/ec2_resource.h"

#include <fmt/format.h>

#include "providers/aws/aws_client.h"

namespace infra::aws {

using provider::ApplyResult;
using provider::Attributes;
using provider::OperationContext;

Ec2ResourceType::Ec2ResourceType(std::shared_ptr<AwsClient> client, provider::ResourceSchema schema)
    : client_(std::move(client)), schema_(std::move(schema)) {}

Error Ec2ResourceType::NotImplemented(std::string_view op) const {
  return MakeError(Error::Kind::kInternal, "NotImplemented",
                   fmt::format("{} {} is not implemented yet [this is a bug]", schema_.type, op));
}

Result<ApplyResult> Ec2ResourceType::Create(const OperationContext&, const Attributes&) {
  return NotImplemented("create");
}
Result<ApplyResult> Ec2ResourceType::Update(const OperationContext&, const Attributes&, const Attributes&) {
  return NotImplemented("update");
}
Result<ApplyResult> Ec2ResourceType::Delete(const OperationContext&, const Attributes&) {
  return NotImplemented("delete");
}
Result<std::map<std::string, Attributes>> Ec2ResourceType::Read(const std::string&,
                                                                const std::vector<std::string>&) {
  return NotImplemented("read");
}
Result<std::optional<Attributes>> Ec2ResourceType::FindByAddress(const OperationContext&, const Attributes&) {
  return NotImplemented("find-by-address");
}

}  // namespace infra::aws
