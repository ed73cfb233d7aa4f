// What every RDS type shares: the service (AWS query), RDS's own list and
// tag shapes (`VpcSecurityGroupIds.VpcSecurityGroupId.N`, `Tags.Tag.N`,
// tags by ARN through AddTagsToResource), reads batched by a `db-*-id`
// filter (RDS rejects tag filters; tags come inline in TagList), one
// Modify* call for every in-place change, promotion of a read replica, the
// deletion_protection guard and waits for status on create, update and
// delete. RdsType is kit::SpecType plus these.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec_type.h"

namespace infra::aws::rds {

/// A list attribute on RDS's wire: sent as `param`.`element`.N, read from
/// the children of `read_path`, each child's `read_child` text ("" = the
/// child's own text).
struct ListField {
  std::string attr, param, element, read_path, read_child;
};

/// What the kit's Spec does not say for RDS.
struct RdsSpec {
  std::vector<ListField> lists = {};
  /// The Modify* action and the attributes it changes in place (each sent
  /// under its field's param, lists as named lists; ApplyImmediately from
  /// `apply_immediately` when the type has it).
  std::string modify_action = {};
  std::vector<std::string> modify = {};
  /// Removing `promote_attr` (a replica's source) calls `promote_action`
  /// and waits until the object reads back standalone.
  std::string promote_attr = {}, promote_action = {};
  /// Tags inline in the describe item (TagList); otherwise one
  /// ListTagsForResource per object.
  bool tags_inline = true;
  /// Statuses an update or delete waits through ("modifying", "deleting").
  std::vector<std::string> busy = {};
  /// Per-id reads match the item by id among all the reply lists (moto's
  /// DescribeGlobalClusters ignores its identifier).
  bool scan_items = false;
  /// The delete waits until the object is gone (clusters, instances).
  bool wait_delete = false;
  /// A replica (desired `promote_attr` set) is created by `replica_action`
  /// (CreateDBInstanceReadReplica), which takes only `replica_fields`, the
  /// source under `replica_source_param`.
  std::string replica_action = {}, replica_source_param = {};
  std::vector<std::string> replica_fields = {};
  /// The source region of a cross-region replica's create ("" = not one):
  /// the create then carries a PreSignedUrl, the same call presigned for
  /// that region's endpoint with DestinationRegion = the replica's region,
  /// as the AWS SDKs make it from SourceRegion (AWS requires it when the
  /// source is encrypted; moto ignores it).
  std::function<std::string(const provider::Attributes& desired)> presign_region = nullptr;
};

/// A monitoring role (monitoring_role_arn) made seconds ago: RDS refuses it
/// with InvalidParameterValue "... required permissions for:
/// ENHANCED_MONITORING" until IAM propagates (Terraform retries it for its
/// 2-minute propagation timeout); the kit retries within the role's grace.
inline const kit::PropagationError kMonitoringRoleNotReady{"InvalidParameterValue", "ENHANCED_MONITORING"};

/// The region an ARN names ("arn:aws:rds:eu-central-1:..." -> "eu-central-1");
/// "" when `arn` is not an ARN.
std::string ArnRegion(const std::string& arn);

/// How long a create's PreSignedUrl is valid (the AWS SDKs' default).
inline constexpr std::chrono::seconds kPresignExpiry{3600};

/// The RDS service (AWS query; tags are RdsType's, not the kit's).
kit::Service Service();
/// A regional schema in the "rds" pool.
provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes);

class RdsType : public kit::SpecType {
 public:
  RdsType(std::shared_ptr<AwsClient> client, kit::Spec spec, RdsSpec rds);

  /// The kit's create, or with a source and a `replica_action` the replica's.
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx,
                                       const provider::Attributes& desired) override;
  /// The kit's update; after a promotion, pending until Poll reads the
  /// object standalone and available.
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  /// The kit's delete (deletion_protection refused first); with
  /// `wait_delete`, pending until the object is gone.
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx,
                                       const provider::Attributes& prior) override;
  Result<provider::PollResult> Poll(const provider::OperationContext& ctx, const provider::Attributes& current,
                                    provider::Phase phase) override;
  /// With ReadPolicy::id_filter: DescribeX with Filters db-x-id = up to 100
  /// ids a call (Marker followed); otherwise the kit's per-id read. Tags
  /// from TagList or ListTagsForResource.
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  /// The object named by the desired identifier, if it carries this
  /// address's infra:stack / infra:address tags.
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;
  /// Read, then tag by ARN with infra:stack / infra:address.
  Result<provider::Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override;

 private:
  Result<std::map<std::string, provider::Attributes>> ReadByFilter(const std::string& region,
                                                                   const std::vector<std::string>& ids);
  Result<std::map<std::string, provider::Attributes>> ReadScanning(const std::string& region,
                                                                   const std::vector<std::string>& ids);
  Status ReadTags(const std::string& region, std::map<std::string, provider::Attributes>& found);
  Result<provider::PollResult> WaitGone(const provider::OperationContext& ctx, const provider::Attributes& current);

  RdsSpec rds_;
  std::unique_ptr<RdsType> replica_;  // the spec creating a replica, if any
  std::mutex mu_;
  std::set<std::string> deleting_;  // ids whose delete call was accepted
};

}  // namespace infra::aws::rds
