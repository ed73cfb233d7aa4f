// The S3 service and the configuration sub-resource spec (s3_service.h).
#include "providers/aws/s3/s3_service.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws::s3 {

using provider::Attributes;

kit::Service Service() { return {"s3", kit::Protocol::kRestXml, {}}; }

kit::Spec ConfigSpec(const ConfigParts& parts, std::vector<provider::AttributeSchema> attributes,
                     std::vector<kit::Field> fields) {
  provider::ResourceSchema s;
  s.type = parts.type;
  s.service = "s3";
  s.taggable = false;
  s.attributes = {schema::Required("bucket", schema::kForceNew), schema::Computed("id")};
  for (auto& a : attributes) s.attributes.push_back(std::move(a));
  const std::string prefix = parts.root + ".";
  for (auto& f : fields)
    if (f.path.empty() && f.param.rfind(prefix, 0) == 0) f.path = f.param.substr(prefix.size());
  fields.insert(fields.begin(), kit::Field{"bucket", "Bucket", "-"});
  kit::Spec spec{std::move(s), Service(), std::move(fields), {parts.put, "", false, /*idempotent=*/true}};
  const std::string uri = "/{Bucket}?" + parts.sub;
  spec.json.routes = {
      {parts.put, {"PUT", uri, parts.root, kXmlns, {}, /*content_md5=*/true}},
      {parts.get, {"GET", uri}},
  };
  if (!parts.del.empty()) spec.json.routes[parts.del] = {"DELETE", uri};
  spec.del = {parts.del.empty() ? parts.put : parts.del, {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, parts.get, "", ""};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.json.id_member = "Bucket";
  spec.json.hooks.id_of = [](const Attributes& d, const nlohmann::json&) { return kit::AttrText(d, "bucket"); };
  spec.json.hooks.on_read = [more = parts.on_read](const nlohmann::json& item, const std::string&, Attributes& a) {
    a["bucket"] = a["id"];
    if (more) more(item, a);
  };
  return spec;
}

Result<provider::ApplyResult> BucketConfigType::Update(const provider::OperationContext& ctx, const Attributes&,
                                                       const Attributes& desired) {
  return Create(ctx, desired);
}

Result<provider::ApplyResult> BucketConfigType::Delete(const provider::OperationContext& ctx,
                                                       const Attributes& prior) {
  if (forget_ && forget_(prior)) return provider::ApplyResult{prior, false};
  return JsonSpecType::Delete(ctx, prior);
}

Result<std::map<std::string, Attributes>> BucketConfigType::Read(const std::string& region,
                                                                 const std::vector<std::string>& ids) {
  if (ids.size() < 2) return ReadBuckets(region, ids);
  std::map<std::string, Attributes> out;
  std::mutex mu;
  Status failed;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < ids.size(); i = next++) {
      auto got = ReadBuckets(region, {ids[i]});
      std::lock_guard lock(mu);
      if (!got.ok()) failed = got.error();
      else out.merge(*got);
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < std::min<size_t>(8, ids.size()); ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (!failed.ok()) return failed.error();
  return out;
}

}  // namespace infra::aws::s3

namespace infra::aws {

void AddS3Types(TypeRegistry& registry) {
  AddS3BucketTypes(registry);
  AddS3VersioningTypes(registry);
  AddS3EncryptionTypes(registry);
  AddS3PublicAccessTypes(registry);
  AddS3PolicyTypes(registry);
  AddS3LifecycleTypes(registry);
  AddS3ReplicationTypes(registry);
  AddS3LoggingTypes(registry);
}

}  // namespace infra::aws
