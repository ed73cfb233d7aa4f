// aws_s3_bucket: the bucket (bucket or bucket_prefix; outside us-east-1 its
// LocationConstraint is the resource's region), object lock at creation,
// and its tags, which S3 replaces as a whole (PutBucketTagging with every
// tag, infra:* included; NoSuchTagSet reads as none). Refresh is one
// ListBuckets per stack for all buckets (shared by the regions' reads:
// bucket_listing.h) plus GetBucketTagging per bucket.
// force_destroy empties the bucket first: every version and delete marker,
// 1,000 per DeleteObjects call. Also the data source aws_s3_bucket.
#include <fmt/format.h>

#include <algorithm>

#include <memory>
#include <set>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/bucket_listing.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;
using provider::AttrType;

// The computed names of bucket `b` in `region`.
Attributes Names(const std::string& b, const std::string& region) {
  return {{"arn", "arn:aws:s3:::" + b}, {"bucket_domain_name", b + ".s3.amazonaws.com"},
          {"bucket_regional_domain_name", fmt::format("{}.s3.{}.amazonaws.com", b, region)}, {"region", region}};
}

kit::Spec BucketSpec() {
  provider::ResourceSchema s;
  s.type = "aws_s3_bucket";
  s.service = "s3";
  s.attributes = {OptionalComputed("bucket", kForceNew), Optional("bucket_prefix", kForceNew),
                  Optional("force_destroy", kNone, AttrType::kBool, false),
                  Optional("object_lock_enabled", kForceNew, AttrType::kBool, false), Tags(), Computed("id"),
                  Computed("arn"), Computed("region"), Computed("bucket_domain_name"),
                  Computed("bucket_regional_domain_name")};
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"bucket", "bucket_prefix"}}};
  kit::Service svc = s3::Service();
  svc.tags = {kit::Tagging::Style::kTagResource, "", "PutBucketTagging", ""};
  svc.tags.json = {kit::JsonTagging::Shape::kKeyValueUpper, "", "Bucket", "bucket", "Tagging.TagSet.Tag", "",
                   "GetBucketTagging", "TagSet.Tag", /*replace_all=*/true};
  kit::Spec spec{std::move(s), svc, {
      {"object_lock_enabled", "ObjectLockEnabledForBucket", "-", kit::Conv::kBool, kit::kCreate},
  }, {"CreateBucket", ""}};
  spec.del = {"DeleteBucket", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "ListBuckets", "Bucket", "Buckets.Bucket", "Name"};
  spec.read.max_ids = 1000;  // the list is of every bucket; the ids only select
  spec.adopt = {kit::Adoption::Kind::kByName, "bucket"};
  spec.json.id_member = "Bucket";
  spec.json.page_token = "ContinuationToken";
  spec.json.routes = {
      {"CreateBucket", {"PUT", "/{Bucket}", "CreateBucketConfiguration", s3::kXmlns,
                        {{"ObjectLockEnabledForBucket", "x-amz-bucket-object-lock-enabled"}}}},
      {"ListBuckets", {"GET", "/?continuation-token={ContinuationToken}"}},
      {"DeleteBucket", {"DELETE", "/{Bucket}"}},
      {"GetBucketTagging", {"GET", "/{Bucket}?tagging"}},
      {"PutBucketTagging", {"PUT", "/{Bucket}?tagging", "Tagging", s3::kXmlns, {}, /*content_md5=*/true}},
      {"ListObjectVersions", {"GET", "/{Bucket}?versions&max-keys={MaxKeys}"}},
      {"DeleteObjects", {"POST", "/{Bucket}?delete", "Delete", s3::kXmlns, {}, /*content_md5=*/true}},
      {"GetObjectLockConfiguration", {"GET", "/{Bucket}?object-lock"}},
  };
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes& d, nlohmann::json& body) {
    std::string prefix = kit::AttrText(d, "bucket_prefix");
    body["Bucket"] = kit::AttrText(d, "bucket").empty() ? kit::PrefixedName(prefix.empty() ? "infra-" : prefix, ctx)
                                                        : kit::AttrText(d, "bucket");
    if (ctx.region != "us-east-1") body["CreateBucketConfiguration"] = {{"LocationConstraint", ctx.region}};
    if (body.value("ObjectLockEnabledForBucket", false) != true) body.erase("ObjectLockEnabledForBucket");
  };
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string& region, Attributes& a) {
    std::string id = kit::AttrText(a, "id");
    a["bucket"] = id;
    a.update(Names(id, region));
  };
  spec.plan.plan_known = [](const provider::OperationContext& ctx, const Attributes& d) {
    std::string b = kit::AttrText(d, "bucket");
    if (b.empty()) return Attributes::object();
    Attributes known = Names(b, ctx.region);
    known["id"] = b;  // the bucket's id is its name
    return known;
  };
  return spec;
}

// The bucket type: force_destroy empties the bucket before DeleteBucket.
class BucketType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx, const Attributes& prior) override {
    if (prior.value("force_destroy", false))
      if (auto st = Empty(ctx.region, kit::AttrText(prior, "id")); !st.ok() && !kit::IsNotFound(spec_.service, st.error()))
        return st.error();
    auto r = JsonSpecType::Delete(ctx, prior);
    if (!r.ok() && r.error().code == "BucketNotEmpty")
      return MakeError(r.error().kind, r.error().code,
                       fmt::format("{} (set force_destroy: true to delete its objects with it)", r.error().message));
    return r;
  }
  /// Crash recovery: by name and infra tags; and a bucket of the name this
  /// create sent that has no tags at all is the create's own, killed
  /// between CreateBucket and its tagging (bucket names are global: nobody
  /// else's bucket answers to our credentials untagged by accident, and the
  /// retry would fail with BucketAlreadyOwnedByYou). It is tagged as
  /// Create would have (Import tags it).
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    auto found = JsonSpecType::FindByAddress(ctx, desired);
    if (!found.ok() || *found) return found;
    std::string name = kit::AttrText(desired, "bucket");
    if (name.empty() || std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), name) != ctx.exclude_ids.end())
      return found;
    auto tags = call()(ctx.region, "GetBucketTagging", {{"Bucket", name}});
    if (tags.ok() || tags.error().code != "NoSuchTagSet") return found;  // someone's tags, or no such bucket
    auto got = JsonSpecType::Import(ctx, name);
    if (!got.ok()) return got.error();
    return std::optional<Attributes>(std::move(*got));
  }
  /// An imported bucket also reads what refresh does not: object lock (one
  /// more call), and force_destroy is off.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (!got.ok()) return got;
    auto lock = call()(ctx.region, "GetObjectLockConfiguration", {{"Bucket", id}});
    if (!lock.ok() && !kit::IsNotFound(spec_.service, lock.error())) return lock.error();
    (*got)["object_lock_enabled"] = lock.ok() && kit::AttrText(*lock, "ObjectLockEnabled") == "Enabled";
    (*got)["force_destroy"] = false;
    return got;
  }

 private:
  // Deletes every version and delete marker, one page of up to 1,000 a call.
  Status Empty(const std::string& region, const std::string& bucket) {
    std::set<std::pair<std::string, std::string>> deleted;
    for (;;) {
      auto page = call()(region, "ListObjectVersions", {{"Bucket", bucket}, {"MaxKeys", "1000"}});
      if (!page.ok()) return page.error();
      nlohmann::json objects = nlohmann::json::array();
      for (const char* kind : {"Version", "DeleteMarker"}) {
        nlohmann::json items = kit::JsonAt(*page, kind);
        if (items.is_object()) items = nlohmann::json::array({items});
        for (const auto& v : items.is_array() ? items : nlohmann::json::array()) {
          std::pair key{kit::AttrText(v, "Key"), kit::AttrText(v, "VersionId")};
          if (!deleted.insert(key).second)
            return MakeError(Error::Kind::kInternal, "ObjectsRemain",
                             fmt::format("s3 bucket {}: {} (version {}) is still listed after its delete", bucket,
                                         key.first, key.second));
          objects.push_back({{"Key", key.first}, {"VersionId", key.second}});
        }
      }
      if (objects.empty()) return {};
      nlohmann::json body = {{"Bucket", bucket}, {"Delete", {{"Object", objects}, {"Quiet", true}}}};
      auto done = call()(region, "DeleteObjects", body);
      if (!done.ok()) return done.error();
      if (auto err = kit::JsonAt(*done, "Error"); !err.is_null())
        return MakeError(Error::Kind::kInvalid, "DeleteObjectsFailed",
                         fmt::format("s3 bucket {}: DeleteObjects failed for some objects: {}", bucket, err.dump()));
    }
  }
};

}  // namespace

void AddS3BucketTypes(TypeRegistry& p) {
  // S3's namespace is global: one ListBuckets answers every region's read of
  // a refresh. The data source lists on its own (a read of its own, never
  // taken for a refresh's).
  p.Add(std::make_unique<BucketType>(std::make_shared<s3::SharedListingClient>(p.client(), "ListBuckets"),
                                     BucketSpec()));
  p.AddData(std::make_unique<kit::LookupDataSource>(
      std::make_unique<BucketType>(p.client(), BucketSpec()),
      kit::LookupSpec{"aws_s3_bucket", {Required("bucket")}, kit::IdFromArgument("bucket"),
                      {"force_destroy", "bucket_prefix", "object_lock_enabled"}}));
}

}  // namespace infra::aws
