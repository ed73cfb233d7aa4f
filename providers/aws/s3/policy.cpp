// aws_s3_bucket_policy: the bucket's policy document (a JSON string or a
// YAML map, compared semantically). Its body is the document itself, not
// XML, so the put and the read build their requests here; the delete is
// the spec's DeleteBucketPolicy.
#include <openssl/evp.h>

#include <memory>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;

kit::Spec PolicySpec() {
  auto spec = s3::ConfigSpec({"aws_s3_bucket_policy", "policy", "PutBucketPolicy", "GetBucketPolicy",
                              "DeleteBucketPolicy", ""},
                             {Compared(Required("policy", kNone, provider::AttrType::kAny),
                                       provider::Equality::kJsonDocument)},
                             {});
  return spec;
}

std::string Base64Md5(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), digest, &len, EVP_md5(), nullptr);
  std::string out(4 * ((len + 2) / 3), '\0');
  out.resize(static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest, len)));
  return out;
}

class PolicyType : public s3::BucketConfigType {
 public:
  using BucketConfigType::BucketConfigType;
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx, const Attributes& desired) override {
    const std::string bucket = kit::AttrText(desired, "bucket");
    const Attributes& doc = desired.contains("policy") ? desired["policy"] : Attributes();
    RestRequest req{"PUT", "/" + bucket, {{"policy", ""}}, {}, doc.is_string() ? doc.get<std::string>() : doc.dump()};
    req.headers["content-md5"] = Base64Md5(req.body);
    if (auto r = client_->Rest("s3", ctx.region, "PutBucketPolicy", req, {}); !r.ok()) return r.error();
    return Finish(ctx.region, bucket, desired);
  }
 protected:
  Result<std::map<std::string, Attributes>> ReadBuckets(const std::string& region,
                                                        const std::vector<std::string>& ids) override {
    std::map<std::string, Attributes> out;
    for (const auto& id : ids) {
      auto r = client_->Rest("s3", region, "GetBucketPolicy", RestRequest{"GET", "/" + id, {{"policy", ""}}, {}, ""}, {});
      if (!r.ok() && kit::IsNotFound(spec_.service, r.error())) continue;  // NoSuchBucketPolicy, NoSuchBucket
      if (!r.ok()) return r.error();
      out[id] = {{"id", id}, {"bucket", id}, {"policy", r->body}};
    }
    return out;
  }
};

}  // namespace

void AddS3PolicyTypes(TypeRegistry& p) { p.Add(std::make_unique<PolicyType>(p.client(), PolicySpec())); }

}  // namespace infra::aws
