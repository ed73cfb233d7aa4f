// Ec2ResourceType: the base of every EC2 network type, and the EC2 wire bits
// they share: the call wrapper, infra:* tag specifications and tag updates,
// user-tag reading, the batched describe with its NotFound fallback, lookup
// by infra:address tag, and delete with a bounded DependencyViolation retry.
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "providers/aws/kit/spec.h"
#include "providers/aws/sdk/protocol_query.h"
#include "providers/provider.h"

namespace infra::aws {

class AwsClient;

using kit::kAddressTag;
using kit::kStackTag;

/// The EC2 service for the kit; `tag_resource_type` is the
/// TagSpecification ResourceType of the type ("subnet"; "" = untagged).
kit::Service Ec2Service(std::string tag_resource_type);
/// An EC2 schema: `type` in the "ec2" pool.
provider::ResourceSchema Ec2Schema(std::string type, std::vector<provider::AttributeSchema> attributes);

/// A parsed EC2 reply; `root` is the <XxxResponse> element.
struct Ec2Reply {
  std::unique_ptr<pugi::xml_document> doc;
  pugi::xml_node root;
};

/// How a type is listed: Describe action, id list parameter, the filter
/// that selects by id (used when one id of a list is missing), the result
/// set and the id element of an item.
struct Ec2Describe {
  std::string action;     // "DescribeVpcs"
  std::string id_param;   // "VpcId"
  std::string id_filter;  // "vpc-id"; "" = fall back to one call per id
  std::string set;        // "vpcSet"
  std::string id_field;   // "vpcId"
  std::string filter_param = "Filter";
};

/// One EC2 call through `client` (null client: kInternal error). Parses the
/// reply. `idempotent` false for creates without a ClientToken.
Result<Ec2Reply> Ec2Call(AwsClient* client, const std::string& region, const std::string& action,
                         const QueryParams& params, bool idempotent = true);

/// True for *.NotFound / NoSuch* errors.
bool IsNotFound(const Error& e);

/// The user's tags plus infra:stack / infra:address, in key order.
TagList InfraTags(const provider::OperationContext& ctx, const nlohmann::json& user_tags);
/// The <tagSet> of an item as a JSON object without infra:* keys; null when
/// there is none (so an untagged resource reads back as `tags: null`).
nlohmann::json UserTags(pugi::xml_node item);
/// The value of tag `key` in an item's <tagSet> ("" when absent).
std::string TagValue(pugi::xml_node item, std::string_view key);
/// CreateTags / DeleteTags so that `id` carries `desired` user tags instead
/// of `prior` ones. No call when they are equal.
Status UpdateTags(AwsClient* client, const std::string& region, const std::string& id,
                  const nlohmann::json& prior, const nlohmann::json& desired);

/// `attrs[key]` as a string; "" when absent or null.
std::string Str(const nlohmann::json& attrs, const char* key);
/// `attrs[key]`, or null when absent.
nlohmann::json Field(const nlohmann::json& attrs, const char* key);
/// `attrs[key]` as a bool; `def` when absent or null.
bool Bool(const nlohmann::json& attrs, const char* key, bool def = false);
/// `attrs[key]` (a number) as text; "" when absent or null.
std::string NumText(const nlohmann::json& attrs, const char* key);
/// An EC2 XML boolean ("true").
bool XmlBool(pugi::xml_node node, std::string_view path);
/// A string or null when empty, for optional computed attributes.
nlohmann::json OrNull(const std::string& s);
/// arn:aws:ec2:<region>:<owner>:<kind>/<id>
std::string Ec2Arn(const std::string& region, const std::string& owner, std::string_view kind,
                   const std::string& id);

/// FindByAddress: true if `id` is one of ctx.exclude_ids (an object that
/// carries the address tag but is not the one looked for).
bool Excluded(const provider::OperationContext& ctx, const std::string& id);

/// Base of the EC2 types: generic batched Read, FindByAddress by tag, and
/// Delete with a bounded DependencyViolation retry through Poll. Subclasses
/// give FromItem (one describe item -> attributes, null = gone) and the
/// operations.
class Ec2ResourceType : public provider::ResourceType {
 public:
  Ec2ResourceType(std::shared_ptr<AwsClient> client, provider::ResourceSchema schema, Ec2Describe describe);
  const provider::ResourceSchema& schema() const override { return schema_; }

  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx,
                                       const provider::Attributes& desired) override;
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  /// DeleteOnce; NotFound is success; DependencyViolation returns pending
  /// and Poll(kDelete) tries again for up to kDependencyBudget.
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx,
                                       const provider::Attributes& prior) override;
  Result<provider::PollResult> Poll(const provider::OperationContext& ctx, const provider::Attributes& current,
                                    provider::Phase phase) override;
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;
  /// Reads `id` and, for a taggable type, tags it infra:stack / infra:address.
  Result<provider::Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override;

  static constexpr std::chrono::minutes kDependencyBudget{10};

 protected:
  /// One describe item as attributes; null when the resource is gone
  /// (deleted NAT gateway, rejected peering...).
  virtual provider::Attributes FromItem(pugi::xml_node item, const std::string& region) const;
  /// Extra calls to complete attributes read by describe (VPC attributes).
  virtual Status Enrich(const std::string& region, std::map<std::string, provider::Attributes>& found);
  /// The filters that narrow the search for ctx.address (tags are also
  /// checked client-side, so a filter the API ignores is harmless).
  virtual std::vector<QueryFilter> AddressFilters(const provider::OperationContext& ctx,
                                                  const provider::Attributes& desired) const;
  /// Errors of DeleteOnce that mean "dependents are still going away"
  /// (DependencyViolation; EIPs add InvalidIPAddress.InUse).
  virtual bool IsDependencyError(const Error& e) const { return e.code == "DependencyViolation"; }
  /// What still uses `id` when its delete fails with a dependency error,
  /// as "subnet-1 (subnet), eni-2 (network interface)"; "" when unknown.
  /// Named in the wait's detail and in the final failure.
  virtual std::string Dependents(const std::string& region, const std::string& id);
  /// One delete call.
  virtual Status DeleteOnce(const provider::OperationContext& ctx, const provider::Attributes& prior);

  /// Describe by ids (batched, chunked; missing ids are simply absent).
  Result<std::map<std::string, provider::Attributes>> DescribeIds(const std::string& region,
                                                                  const std::vector<std::string>& ids);
  /// Describe by filters (empty filters list = everything).
  Result<std::map<std::string, provider::Attributes>> DescribeFiltered(const std::string& region,
                                                                       const std::vector<QueryFilter>& filters);
  /// Read of one id after a mutation: the attributes, or a NotFound error.
  Result<provider::Attributes> ReadOne(const std::string& region, const std::string& id);
  /// The result of a create/update of `id`: its attributes read back, or,
  /// while the new resource is not yet visible, `fallback` as pending.
  Result<provider::ApplyResult> Finish(const std::string& region, const std::string& id,
                                       provider::Attributes fallback);
  /// Items of one describe reply mapped through FromItem, keyed by id;
  /// `keep` (may be null) filters the raw items (client-side tag checks).
  void CollectItems(const Ec2Reply& reply, const std::string& region,
                    const std::function<bool(pugi::xml_node)>& keep,
                    std::map<std::string, provider::Attributes>& out) const;
  Error NotImplemented(std::string_view op) const;
  AwsClient* client() const { return client_.get(); }

  std::shared_ptr<AwsClient> client_;
  provider::ResourceSchema schema_;
  Ec2Describe describe_;

 private:
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> first_violation_;  // by id
};

}  // namespace infra::aws
