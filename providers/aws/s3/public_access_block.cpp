// aws_s3_bucket_public_access_block and aws_s3_bucket_ownership_controls:
// two flat bucket settings (PutPublicAccessBlock: four switches, each false
// when unset; PutBucketOwnershipControls: one object_ownership rule).
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

kit::Spec PublicAccessBlockSpec() {
  std::vector<provider::AttributeSchema> attrs;
  std::vector<kit::Field> fields;
  for (auto [attr, wire] : {std::pair{"block_public_acls", "BlockPublicAcls"},
                            std::pair{"block_public_policy", "BlockPublicPolicy"},
                            std::pair{"ignore_public_acls", "IgnorePublicAcls"},
                            std::pair{"restrict_public_buckets", "RestrictPublicBuckets"}}) {
    attrs.push_back(Optional(attr, kNone, AttrType::kBool, false));
    fields.push_back({attr, std::string("PublicAccessBlockConfiguration.") + wire, "", kit::Conv::kBool});
  }
  return s3::ConfigSpec({"aws_s3_bucket_public_access_block", "publicAccessBlock", "PutPublicAccessBlock",
                         "GetPublicAccessBlock", "DeletePublicAccessBlock", "PublicAccessBlockConfiguration"},
                        std::move(attrs), std::move(fields));
}

kit::Spec OwnershipControlsSpec() {
  return s3::ConfigSpec(
      {"aws_s3_bucket_ownership_controls", "ownershipControls", "PutBucketOwnershipControls",
       "GetBucketOwnershipControls", "DeleteBucketOwnershipControls", "OwnershipControls"},
      {Block("rule", AttrMode::kRequired,
             {OneOf(Required("object_ownership"), {"BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"})})},
      {{"rule.object_ownership", "OwnershipControls.Rule.ObjectOwnership"}});
}

}  // namespace

void AddS3PublicAccessTypes(TypeRegistry& p) {
  p.Add(std::make_unique<s3::BucketConfigType>(p.client(), PublicAccessBlockSpec()));
  p.Add(std::make_unique<s3::BucketConfigType>(p.client(), OwnershipControlsSpec()));
}

}  // namespace infra::aws
