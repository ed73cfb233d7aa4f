// JsonSpecType: the ResourceType that runs a kit::Spec on the JSON
// protocols (awsJson 1.0/1.1: ECS, Logs, ECR, Secrets Manager, KMS,
// DynamoDB, SSM, EventBridge, Application Auto Scaling) and on REST-JSON /
// REST-XML (Lambda, S3, Route 53) through Spec::json's routes. The field
// table holds JSON paths; create, update, delete with its dependency retry,
// batched or per-id reads (pages followed), waits, tags by TagResource,
// adoption by name or id and import follow from the spec as in SpecType.
#pragma once
#include <chrono>
#include <functional>
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

class JsonSpecType : public SpecTypeBase {
 public:
  JsonSpecType(std::shared_ptr<AwsClient> client, Spec spec);

  /// One create call (fields, JsonHooks::create_body, tags at
  /// JsonTagging::create_member, the token), then the read-back or the Wait.
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx,
                                       const provider::Attributes& desired) override;
  /// Each UpdateOp whose attributes changed (a nested field goes with its
  /// top-level attribute), then TagResource / UntagResource.
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  /// NotFound is success; a DeleteOp::retry_codes error returns pending and
  /// Poll(kDelete) tries again until DeleteOp::budget has passed.
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx,
                                       const provider::Attributes& prior) override;
  Result<provider::PollResult> Poll(const provider::OperationContext& ctx, const provider::Attributes& current,
                                    provider::Phase phase) override;
  /// kIdList: {id_param: [ids]} per chunk of max_ids, pages followed, only
  /// the asked ids kept (an emulator may ignore the list); a NotFound for
  /// the chunk reads one id at a time. kPerId: one call per id.
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  /// kByName / kById (the object must carry this address's infra:* tags
  /// when the type is tagged); kByTag is not offered by these APIs: none.
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;
  /// Reads `id` and, for a tagged type, tags it infra:stack / infra:address
  /// (user tags kept), as a created object is.
  Result<provider::Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override;

 protected:
  /// The members naming `id` (JsonHooks::id_body, or {id_member: id}).
  nlohmann::json IdBody(const std::string& id) const;
  JsonCall call() const { return JsonCall(client_.get(), &spec_.service, &spec_.json.routes); }

 private:
  using Visit = std::function<void(const std::string& id, const nlohmann::json& item)>;
  /// One item as attributes (null when gone); `all_tags` gets its tags.
  Result<provider::Attributes> FromItem(const nlohmann::json& item, const std::string& id, const std::string& region,
                                        std::map<std::string, std::string>* all_tags);
  Status ReadItems(const std::string& region, const std::vector<std::string>& ids, const Visit& visit);
  Status Describe(const std::string& region, nlohmann::json body, const std::vector<std::string>& only,
                  const Visit& visit);
  Status DeleteOnce(const provider::OperationContext& ctx, const provider::Attributes& prior);
  Result<provider::PollResult> RetryDelete(const provider::OperationContext& ctx, const provider::Attributes& current);
  bool Tagged() const;
  /// The value naming `a` in tag calls (JsonTagging::resource_attr, else the id).
  std::string TagResourceOf(const provider::Attributes& a) const;

  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> first_violation_;  // by id
};

}  // namespace infra::aws::kit
