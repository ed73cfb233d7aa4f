// aws_s3_bucket_lifecycle_configuration: rules with a filter (prefix, size,
// tag) or none, expiration, transitions to STANDARD_IA / GLACIER ..., and
// the noncurrent-version and incomplete-upload rules
// (PutBucketLifecycleConfiguration replaces them all). A rule without
// filter or prefix is sent an empty <Filter/> (all objects), which S3 wants;
// a filter is compared only when AWS reports one (an empty one reads as none).
#include <memory>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;

const std::vector<std::string> kStorageClasses = {"GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                                                  "DEEP_ARCHIVE", "GLACIER_IR"};

provider::AttributeSchema Num(std::string name) { return Optional(std::move(name), kNone, AttrType::kNumber); }

kit::Spec LifecycleSpec() {
  const std::string r = "LifecycleConfiguration.Rule[].";
  auto spec = s3::ConfigSpec(
      {"aws_s3_bucket_lifecycle_configuration", "lifecycle", "PutBucketLifecycleConfiguration",
       "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle", "LifecycleConfiguration"},
      {Blocks("rule", AttrMode::kRequired,
              {Required("id"), OneOf(Required("status"), {"Enabled", "Disabled"}), Optional("prefix"),
               Block("filter", AttrMode::kOptionalComputed,  // {prefix: ""} reads back as none
                     {Optional("prefix"), Num("object_size_greater_than"), Num("object_size_less_than"),
                      Block("tag", AttrMode::kOptional, {Required("key"), Required("value")})}),
               Block("expiration", AttrMode::kOptional,
                     {Num("days"), Optional("date"),
                      OptionalComputed("expired_object_delete_marker", kNone, AttrType::kBool)}),
               Blocks("transition", AttrMode::kOptional,
                      {Num("days"), Optional("date"), OneOf(Required("storage_class"), kStorageClasses)}),
               Blocks("noncurrent_version_transition", AttrMode::kOptional,
                      {Required("noncurrent_days", kNone, AttrType::kNumber), Num("newer_noncurrent_versions"),
                       OneOf(Required("storage_class"), kStorageClasses)}),
               Block("noncurrent_version_expiration", AttrMode::kOptional,
                     {Required("noncurrent_days", kNone, AttrType::kNumber), Num("newer_noncurrent_versions")}),
               Block("abort_incomplete_multipart_upload", AttrMode::kOptional,
                     {Required("days_after_initiation", kNone, AttrType::kNumber)})})},
      {{"rule[].id", r + "ID"},
       {"rule[].status", r + "Status"},
       {"rule[].prefix", r + "Prefix"},
       {"rule[].filter.prefix", r + "Filter.Prefix"},
       {"rule[].filter.object_size_greater_than", r + "Filter.ObjectSizeGreaterThan", "", kit::Conv::kNumber},
       {"rule[].filter.object_size_less_than", r + "Filter.ObjectSizeLessThan", "", kit::Conv::kNumber},
       {"rule[].filter.tag.key", r + "Filter.Tag.Key"},
       {"rule[].filter.tag.value", r + "Filter.Tag.Value"},
       {"rule[].expiration.days", r + "Expiration.Days", "", kit::Conv::kNumber},
       {"rule[].expiration.date", r + "Expiration.Date"},
       {"rule[].expiration.expired_object_delete_marker", r + "Expiration.ExpiredObjectDeleteMarker", "",
        kit::Conv::kBool},
       {"rule[].transition[].days", r + "Transition[].Days", "", kit::Conv::kNumber},
       {"rule[].transition[].date", r + "Transition[].Date"},
       {"rule[].transition[].storage_class", r + "Transition[].StorageClass"},
       {"rule[].noncurrent_version_transition[].noncurrent_days", r + "NoncurrentVersionTransition[].NoncurrentDays",
        "", kit::Conv::kNumber},
       {"rule[].noncurrent_version_transition[].newer_noncurrent_versions",
        r + "NoncurrentVersionTransition[].NewerNoncurrentVersions", "", kit::Conv::kNumber},
       {"rule[].noncurrent_version_transition[].storage_class", r + "NoncurrentVersionTransition[].StorageClass"},
       {"rule[].noncurrent_version_expiration.noncurrent_days", r + "NoncurrentVersionExpiration.NoncurrentDays", "",
        kit::Conv::kNumber},
       {"rule[].noncurrent_version_expiration.newer_noncurrent_versions",
        r + "NoncurrentVersionExpiration.NewerNoncurrentVersions", "", kit::Conv::kNumber},
       {"rule[].abort_incomplete_multipart_upload.days_after_initiation",
        r + "AbortIncompleteMultipartUpload.DaysAfterInitiation", "", kit::Conv::kNumber}});
  spec.json.hooks.create_body = [](const provider::OperationContext&, const provider::Attributes&,
                                   nlohmann::json& body) {
    auto rules = kit::JsonAt(body, "LifecycleConfiguration.Rule");
    if (!rules.is_array()) return;
    for (auto& rule : body["LifecycleConfiguration"]["Rule"])
      if (!rule.contains("Filter") && !rule.contains("Prefix")) rule["Filter"] = nlohmann::json::object();
  };
  return spec;
}

}  // namespace

void AddS3LifecycleTypes(TypeRegistry& p) {
  p.Add(std::make_unique<s3::BucketConfigType>(p.client(), LifecycleSpec()));
}

}  // namespace infra::aws
