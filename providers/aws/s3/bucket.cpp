// aws_s3_bucket, minimal: the bucket (its region from HeadBucket's
// x-amz-bucket-region) and its tags, which S3 replaces as a whole
// (PutBucketTagging with every tag, infra:* included; NoSuchTagSet reads as
// none). It proves the kit's REST-XML path; versioning, encryption,
// lifecycle and policies are separate types in Terraform and not here yet.
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;

constexpr const char* kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

kit::Spec BucketSpec() {
  provider::ResourceSchema s;
  s.type = "aws_s3_bucket";
  s.service = "s3";
  s.attributes = {Required("bucket", kForceNew), Tags(), Computed("id"), Computed("arn"), Computed("region"),
                  Computed("bucket_domain_name")};
  kit::Service svc{"s3", kit::Protocol::kRestXml, {kit::Tagging::Style::kTagResource, "", "PutBucketTagging", ""}};
  svc.tags.json = {kit::JsonTagging::Shape::kKeyValueUpper, "", "Bucket", "bucket", "Tagging.TagSet.Tag", "",
                   "GetBucketTagging", "TagSet.Tag", /*replace_all=*/true};
  kit::Spec spec{std::move(s), svc, {
      {"bucket", "Bucket", "-"},
      {"region", "", "header:x-amz-bucket-region", kit::Conv::kString, kit::kRead},
  }, {"CreateBucket", ""}};
  spec.del = {"DeleteBucket", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "HeadBucket", "", ""};
  spec.adopt = {kit::Adoption::Kind::kByName, "bucket"};
  spec.json.id_member = "Bucket";
  spec.json.routes = {
      {"CreateBucket", {"PUT", "/{Bucket}", "CreateBucketConfiguration", kXmlns}},
      {"HeadBucket", {"HEAD", "/{Bucket}"}},
      {"DeleteBucket", {"DELETE", "/{Bucket}"}},
      {"GetBucketTagging", {"GET", "/{Bucket}?tagging"}},
      {"PutBucketTagging", {"PUT", "/{Bucket}?tagging", "Tagging", kXmlns, {}, /*content_md5=*/true}},
  };
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes&, nlohmann::json& body) {
    if (ctx.region != "us-east-1") body["CreateBucketConfiguration"] = {{"LocationConstraint", ctx.region}};
  };
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string&, Attributes& a) {
    std::string id = kit::AttrText(a, "id");
    a["bucket"] = id;
    a["arn"] = "arn:aws:s3:::" + id;
    a["bucket_domain_name"] = id + ".s3.amazonaws.com";
  };
  return spec;
}

}  // namespace

void AddS3BucketTypes(TypeRegistry& p) { p.Add(std::make_unique<kit::JsonSpecType>(p.client(), BucketSpec())); }

}  // namespace infra::aws
