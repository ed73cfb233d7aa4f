// aws_s3_bucket_replication_configuration: the role S3 assumes and rules
// (priority, filter, destination bucket / storage class / KMS key, delete
// marker replication, SSE-KMS source selection) in one
// PutBucketReplication. S3 refuses replication unless both buckets are
// versioned (InvalidRequest): a stack that declares a bucket without its
// versioning is refused at plan (schema requirements); for a bucket the
// stack does not declare, the put first reads both buckets' versioning and
// names the bucket and the missing aws_s3_bucket_versioning instead.
#include <fmt/format.h>

#include <memory>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;

provider::AttributeSchema StatusBlock(std::string name, AttrMode mode) {
  return Block(std::move(name), mode, {OneOf(Required("status"), {"Enabled", "Disabled"})});
}

kit::Spec ReplicationSpec() {
  const std::string r = "ReplicationConfiguration.Rule[].";
  auto spec = s3::ConfigSpec(
      {"aws_s3_bucket_replication_configuration", "replication", "PutBucketReplication", "GetBucketReplication",
       "DeleteBucketReplication", "ReplicationConfiguration"},
      {Required("role"),
       Blocks("rule", AttrMode::kRequired,
              {OptionalComputed("id"), OptionalComputed("priority", kNone, provider::AttrType::kNumber),
               OneOf(Required("status"), {"Enabled", "Disabled"}), Optional("prefix"),
               Block("filter", AttrMode::kOptionalComputed,  // {prefix: ""} reads back as none
                     {Optional("prefix"), Block("tag", AttrMode::kOptional, {Required("key"), Required("value")})}),
               Block("destination", AttrMode::kRequired,
                     {Required("bucket"), Optional("storage_class"), Optional("account"),
                      Block("encryption_configuration", AttrMode::kOptional, {Required("replica_kms_key_id")})}),
               StatusBlock("delete_marker_replication", AttrMode::kOptional),
               // moto drops it from GetBucketReplication: AWS's read is compared only when it has one
               Block("source_selection_criteria", AttrMode::kOptionalComputed,
                     {StatusBlock("sse_kms_encrypted_objects", AttrMode::kRequired)})})},
      {{"role", "ReplicationConfiguration.Role"},
       {"rule[].id", r + "ID"},
       {"rule[].priority", r + "Priority", "", kit::Conv::kNumber},
       {"rule[].status", r + "Status"},
       {"rule[].prefix", r + "Prefix"},
       {"rule[].filter.prefix", r + "Filter.Prefix"},
       {"rule[].filter.tag.key", r + "Filter.Tag.Key"},
       {"rule[].filter.tag.value", r + "Filter.Tag.Value"},
       {"rule[].destination.bucket", r + "Destination.Bucket"},
       {"rule[].destination.storage_class", r + "Destination.StorageClass"},
       {"rule[].destination.account", r + "Destination.Account"},
       {"rule[].destination.encryption_configuration.replica_kms_key_id",
        r + "Destination.EncryptionConfiguration.ReplicaKmsKeyID"},
       {"rule[].delete_marker_replication.status", r + "DeleteMarkerReplication.Status"},
       {"rule[].source_selection_criteria.sse_kms_encrypted_objects.status",
        r + "SourceSelectionCriteria.SseKmsEncryptedObjects.Status"}});
  spec.json.routes["GetBucketVersioning"] = {"GET", "/{Bucket}?versioning"};
  // Refused at plan when the stack declares a bucket but not its versioning.
  for (const char* path : {"bucket", "rule.destination.bucket"})
    spec.schema.requirements.push_back({path, "aws_s3_bucket_versioning", "bucket", "versioning_configuration.status",
                                        "Enabled", "aws_s3_bucket", "bucket",
                                        "replication needs versioning enabled on both buckets"});
  return spec;
}

// Checks that both ends of the replication are versioned before the put.
class ReplicationType : public s3::BucketConfigType {
 public:
  using BucketConfigType::BucketConfigType;
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx, const Attributes& desired) override {
    std::vector<std::string> buckets = {kit::AttrText(desired, "bucket")};
    for (const auto& rule : desired.value("rule", Attributes::array())) {
      std::string arn = kit::AttrText(rule.value("destination", Attributes::object()), "bucket");
      buckets.push_back(arn.substr(arn.rfind(':') == std::string::npos ? 0 : arn.rfind(':') + 1));
    }
    for (size_t i = 0; i < buckets.size(); ++i) {
      auto got = call()(ctx.region, "GetBucketVersioning", {{"Bucket", buckets[i]}});
      if (!got.ok() && i == 0) return got.error();
      if (!got.ok()) continue;  // a destination elsewhere (another region, account): S3 decides
      if (kit::AttrText(*got, "Status") == "Enabled") continue;
      return MakeError(Error::Kind::kInvalid, "VersioningNotEnabled",
                       fmt::format("{}: replication needs versioning enabled on both buckets, and the {} bucket "
                                   "'{}' has none; declare an aws_s3_bucket_versioning (status Enabled) for it "
                                   "and refer to it (bucket: ${{<versioning>.bucket}}) so it is applied first",
                                   ctx.address, i == 0 ? "source" : "destination", buckets[i]));
    }
    return BucketConfigType::Create(ctx, desired);
  }
};

}  // namespace

void AddS3ReplicationTypes(TypeRegistry& p) {
  p.Add(std::make_unique<ReplicationType>(p.client(), ReplicationSpec()));
}

}  // namespace infra::aws
