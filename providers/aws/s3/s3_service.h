// The S3 family's shared parts: the service (REST-XML, path-style under an
// endpoint override), the namespace of every body, and the configuration
// sub-resources of a bucket (versioning, encryption, lifecycle, ...): one
// spec shape whose id is the bucket name and whose create and update are
// the same PUT of the whole configuration (S3 replaces it).
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/spec.h"

namespace infra::aws::s3 {

inline constexpr const char* kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The S3 service with no tagging (the bucket type adds its own).
kit::Service Service();

/// What a configuration sub-resource of a bucket is on the wire.
struct ConfigParts {
  std::string type;  // "aws_s3_bucket_versioning"
  std::string sub;   // the query name of its calls: "versioning"
  std::string put, get;
  /// The delete operation (DELETE /{Bucket}?sub); "" = `put` with
  /// JsonHooks::delete_body (versioning suspended, logging emptied).
  std::string del;
  std::string root;  // the PUT body's root element, the GET reply's too
  /// More of the read than the field table says (after `bucket` is set).
  std::function<void(const nlohmann::json& item, provider::Attributes& a)> on_read = nullptr;
};

/// The spec of a configuration: `attributes` plus `bucket` (required,
/// force-new) and `id` (the bucket); routes PUT / GET / DELETE on
/// /{Bucket}?<sub> (PUTs with Content-MD5); one GET per bucket, its NoSuch*
/// / *NotFound* error meaning gone; adoption by bucket (untagged). A field's
/// read path defaults to its param without the root ("VersioningConfiguration.Status"
/// is read at "Status").
kit::Spec ConfigSpec(const ConfigParts& parts, std::vector<provider::AttributeSchema> attributes,
                     std::vector<kit::Field> fields);

/// A configuration sub-resource: update is the create's PUT of the whole
/// configuration; `forget`, when it holds for prior, makes delete only
/// forget (versioning never enabled has nothing to suspend).
class BucketConfigType : public kit::JsonSpecType {
 public:
  BucketConfigType(std::shared_ptr<AwsClient> client, kit::Spec spec,
                   std::function<bool(const provider::Attributes& prior)> forget = nullptr)
      : JsonSpecType(std::move(client), std::move(spec)), forget_(std::move(forget)) {}
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx,
                                       const provider::Attributes& prior) override;
  /// ReadBuckets of each bucket (S3 has no batch read), fanned out over up
  /// to 8 threads when there are several.
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) final;

 protected:
  /// The configurations of `ids` (default: one GET each through the spec).
  virtual Result<std::map<std::string, provider::Attributes>> ReadBuckets(const std::string& region,
                                                                          const std::vector<std::string>& ids) {
    return JsonSpecType::Read(region, ids);
  }

 private:
  std::function<bool(const provider::Attributes&)> forget_;
};

}  // namespace infra::aws::s3
