// aws_s3_bucket_server_side_encryption_configuration: the bucket's default
// encryption, AES256 or aws:kms with a key and S3 Bucket Keys
// (PutBucketEncryption / GetBucketEncryption / DeleteBucketEncryption).
#include <memory>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;

kit::Spec EncryptionSpec() {
  const std::string rule = "ServerSideEncryptionConfiguration.Rule[].";
  return s3::ConfigSpec(
      {"aws_s3_bucket_server_side_encryption_configuration", "encryption", "PutBucketEncryption",
       "GetBucketEncryption", "DeleteBucketEncryption", "ServerSideEncryptionConfiguration"},
      {Blocks("rule", AttrMode::kRequired,
              {Block("apply_server_side_encryption_by_default", AttrMode::kOptional,
                     {OneOf(Required("sse_algorithm"), {"AES256", "aws:kms", "aws:kms:dsse"}),
                      OptionalComputed("kms_master_key_id")}),
               OptionalComputed("bucket_key_enabled", kNone, provider::AttrType::kBool)})},
      {{"rule[].apply_server_side_encryption_by_default.sse_algorithm",
        rule + "ApplyServerSideEncryptionByDefault.SSEAlgorithm"},
       {"rule[].apply_server_side_encryption_by_default.kms_master_key_id",
        rule + "ApplyServerSideEncryptionByDefault.KMSMasterKeyID"},
       {"rule[].bucket_key_enabled", rule + "BucketKeyEnabled", "", kit::Conv::kBool}});
}

}  // namespace

void AddS3EncryptionTypes(TypeRegistry& p) {
  p.Add(std::make_unique<s3::BucketConfigType>(p.client(), EncryptionSpec()));
}

}  // namespace infra::aws
