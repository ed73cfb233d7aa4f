// aws_s3_bucket_logging: server access logs to a target bucket and prefix
// (PutBucketLogging). S3 has no delete: an empty <BucketLoggingStatus/>
// turns logging off, and a bucket without LoggingEnabled has no resource.
#include <memory>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;

kit::Spec LoggingSpec() {
  auto spec = s3::ConfigSpec({"aws_s3_bucket_logging", "logging", "PutBucketLogging", "GetBucketLogging", "",
                              "BucketLoggingStatus",
                              [](const nlohmann::json&, Attributes& a) {
                                if (kit::AttrText(a, "target_bucket").empty()) a = nullptr;  // logging off
                              }},
                             {Required("target_bucket"), Optional("target_prefix", kNone,
                                                                  provider::AttrType::kString, "")},
                             {{"target_bucket", "BucketLoggingStatus.LoggingEnabled.TargetBucket"},
                              {"target_prefix", "BucketLoggingStatus.LoggingEnabled.TargetPrefix"}});
  spec.json.hooks.delete_body = [](const Attributes&, nlohmann::json& body) {
    body["BucketLoggingStatus"] = nlohmann::json::object();
  };
  return spec;
}

}  // namespace

void AddS3LoggingTypes(TypeRegistry& p) {
  p.Add(std::make_unique<s3::BucketConfigType>(p.client(), LoggingSpec()));
}

}  // namespace infra::aws
