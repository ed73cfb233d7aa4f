// aws_kms_key and aws_kms_replica_key: a customer managed key, and the
// replica of a multi-Region key in another region (ReplicateKey, called in
// the primary's region). The id is the key id; DescribeKey per key, plus
// its rotation status, policy and tags (KMS's TagKey/TagValue shape, so
// written and read here rather than by the kit). A key pending deletion
// reads as gone; delete schedules the deletion (deletion_window_in_days).
// Crash recovery finds a key by its infra:stack / infra:address tags.
#include <algorithm>
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/tags.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/kms/kms_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;
using K = kit::Conv;

nlohmann::json Get(const Attributes& a, const std::string& k) { return a.is_object() && a.contains(k) ? a[k] : nullptr; }

nlohmann::json KmsTags(const TagList& tags) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [k, v] : tags) out.push_back({{"TagKey", k}, {"TagValue", v}});
  return out;
}

class KeyType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;

  Result<std::map<std::string, Attributes>> Read(const std::string& region, const std::vector<std::string>& ids) override {
    auto got = JsonSpecType::Read(region, ids);
    if (!got.ok()) return got;
    for (auto& [id, a] : *got) {
      auto rotation = call()(region, "GetKeyRotationStatus", {{"KeyId", id}});
      if (rotation.ok()) a["enable_key_rotation"] = rotation->value("KeyRotationEnabled", false);
      else if (!IsNotFound(spec_.service, rotation.error())) return rotation.error();
      auto policy = call()(region, "GetKeyPolicy", {{"KeyId", id}, {"PolicyName", "default"}});
      if (!policy.ok()) return policy.error();
      a["policy"] = policy->value("Policy", nlohmann::json());
      auto tags = call()(region, "ListResourceTags", {{"KeyId", id}});
      if (!tags.ok()) return tags.error();
      nlohmann::json user = nlohmann::json::object();
      for (const auto& t : tags->value("Tags", nlohmann::json::array()))
        if (t.value("TagKey", "").rfind("infra:", 0) != 0) user[t.value("TagKey", "")] = t.value("TagValue", "");
      a["tags"] = user.empty() ? nlohmann::json() : user;
    }
    return got;
  }

  Result<provider::ApplyResult> Update(const OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    const std::string id = kit::AttrText(prior, "id");
    if (Get(desired, "enable_key_rotation") != Get(prior, "enable_key_rotation") &&
        !Get(desired, "enable_key_rotation").is_null()) {
      bool on = Get(desired, "enable_key_rotation") == true;
      if (auto r = call()(ctx.region, on ? "EnableKeyRotation" : "DisableKeyRotation", {{"KeyId", id}}); !r.ok())
        return r.error();
    }
    if (auto st = MoveTags(ctx.region, id, Get(prior, "tags"), Get(desired, "tags")); !st.ok()) return st.error();
    return JsonSpecType::Update(ctx, prior, desired);
  }

  // Crash recovery: keys have no name and CreateKey no token, so the key a
  // create made is the one tagged with this stack and address (ListKeys,
  // then each key's tags; keys pending deletion are gone for us).
  Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx, const Attributes& desired) override {
    std::string marker;
    do {
      nlohmann::json body = nlohmann::json::object();
      if (!marker.empty()) body["Marker"] = marker;
      auto page = call()(ctx.region, "ListKeys", body);
      if (!page.ok()) return page.error();
      for (const auto& k : page->value("Keys", nlohmann::json::array())) {
        std::string id = k.value("KeyId", "");
        if (id.empty() || std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), id) != ctx.exclude_ids.end())
          continue;
        auto tags = call()(ctx.region, "ListResourceTags", {{"KeyId", id}});
        if (!tags.ok()) return tags.error();
        bool stack = false, address = false;
        for (const auto& t : tags->value("Tags", nlohmann::json::array())) {
          stack = stack || (t.value("TagKey", "") == kit::kStackTag && t.value("TagValue", "") == ctx.stack);
          address = address || (t.value("TagKey", "") == kit::kAddressTag && t.value("TagValue", "") == ctx.address);
        }
        if (!stack || !address) continue;
        auto got = Read(ctx.region, {id});  // a key pending deletion reads as absent
        if (!got.ok()) return got.error();
        auto it = got->find(id);
        if (it == got->end()) continue;
        // The create's remaining step, which the lost create may not have reached.
        if (Get(desired, "enable_key_rotation") == true && Get(it->second, "enable_key_rotation") != true) {
          if (auto r = call()(ctx.region, "EnableKeyRotation", {{"KeyId", id}}); !r.ok()) return r.error();
          it->second["enable_key_rotation"] = true;
        }
        return std::optional<Attributes>(it->second);
      }
      marker = page->value("Truncated", false) ? page->value("NextMarker", "") : "";
    } while (!marker.empty());
    return std::optional<Attributes>();
  }

  Result<Attributes> Import(const OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (!got.ok()) return got;
    auto r = call()(ctx.region, "TagResource", {{"KeyId", id}, {"Tags", KmsTags(kit::InfraTags(ctx, nullptr))}});
    if (!r.ok()) return r.error();
    return got;
  }

 private:
  Status MoveTags(const std::string& region, const std::string& id, const nlohmann::json& prior,
                  const nlohmann::json& desired) {
    TagList before = kit::UserTagList(prior), after = kit::UserTagList(desired), set;
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& kv : after)
      if (std::find(before.begin(), before.end(), kv) == before.end()) set.push_back(kv);
    for (const auto& [k, v] : before)
      if (std::none_of(after.begin(), after.end(), [&](const auto& a) { return a.first == k; })) removed.push_back(k);
    if (!removed.empty())
      if (auto r = call()(region, "UntagResource", {{"KeyId", id}, {"TagKeys", removed}}); !r.ok()) return r.error();
    if (!set.empty())
      if (auto r = call()(region, "TagResource", {{"KeyId", id}, {"Tags", KmsTags(set)}}); !r.ok()) return r.error();
    return {};
  }
};

// ReplicateKey is called in the primary key's region (from its ARN) and
// names the replica's region; the replica is then read where it lives.
class ReplicaKeyType : public KeyType {
 public:
  using KeyType::KeyType;
  Result<provider::ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    std::string arn = kit::AttrText(desired, "primary_key_arn");
    auto parts = arn.find("arn:aws:kms:") == 0 ? arn.substr(12) : std::string();
    std::string primary_region = parts.substr(0, parts.find(':'));
    if (primary_region.empty())
      return MakeError(Error::Kind::kInvalid, "InvalidArn",
                       ctx.address + ": primary_key_arn '" + arn + "' is not a KMS key ARN");
    nlohmann::json body = {{"KeyId", arn}, {"ReplicaRegion", ctx.region},
                           {"Tags", KmsTags(kit::InfraTags(ctx, Get(desired, "tags")))}};
    kit::ToJsonWire(desired, "description", body, "Description", K::kString);
    kit::ToJsonWire(desired, "policy", body, "Policy", K::kJsonDocument);
    auto r = call()(primary_region, "ReplicateKey", body, /*idempotent=*/false);
    if (!r.ok()) return r.error();
    std::string id = kit::AttrText(r->value("ReplicaKeyMetadata", nlohmann::json::object()), "KeyId");
    if (spec_.json.hooks.after_create)
      if (auto st = spec_.json.hooks.after_create(call(), ctx, id, desired); !st.ok()) return st.error();
    return Finish(ctx.region, id, desired);
  }
};

kit::Spec KeySpec(bool replica) {
  provider::ResourceSchema s;
  s.type = replica ? "aws_kms_replica_key" : "aws_kms_key";
  s.service = "kms";
  s.attributes = {
      Optional("description"),
      Compared(Attr("policy", AttrType::kAny, provider::AttrMode::kOptionalComputed), provider::Equality::kJsonDocument),
      Range(Optional("deletion_window_in_days", kNone, AttrType::kNumber, 30), 7, 30),
      Optional("enable_key_rotation", kNone, AttrType::kBool, false),
      Tags(),
      Computed("id"), Computed("arn"), Computed("key_id"),
  };
  if (replica) {
    s.attributes.push_back(Required("primary_key_arn", kForceNew));
  } else {
    s.attributes.push_back(Optional("multi_region", kForceNew, AttrType::kBool, false));
    s.attributes.push_back(OneOf(Optional("key_usage", kForceNew, AttrType::kString, "ENCRYPT_DECRYPT"),
                                 {"ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"}));
  }
  kit::Service svc{"kms", kit::Protocol::kJson, {}, {"NotFoundException"}};
  kit::Spec spec{std::move(s), svc, {
      {"description", "Description"},
      {"policy", "Policy", "-", K::kJsonDocument},  // read by GetKeyPolicy
      {"arn", "", "Arn", K::kString, kit::kRead},
      {"key_id", "", "KeyId", K::kString, kit::kRead},
  }, {replica ? "ReplicateKey" : "CreateKey", replica ? "ReplicaKeyMetadata.KeyId" : "KeyMetadata.KeyId"}};
  if (!replica) {
    spec.fields.push_back({"multi_region", "MultiRegion", "", K::kBool});
    spec.fields.push_back({"key_usage", "KeyUsage"});
  }
  spec.updates = {{{"description"}, "UpdateKeyDescription"},
                  {{"policy"}, "PutKeyPolicy", {}, {}, {{"PolicyName", "default"}}}};
  spec.del = {"ScheduleKeyDeletion", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeKey", "KeyId", "KeyMetadata"};
  spec.adopt = {kit::Adoption::Kind::kNone};  // no name, no token: KeyType::FindByAddress looks by tags
  spec.json.id_member = "KeyId";
  spec.json.hooks.create_body = [](const OperationContext& ctx, const Attributes& desired, nlohmann::json& body) {
    body["Tags"] = KmsTags(kit::InfraTags(ctx, Get(desired, "tags")));
  };
  spec.json.hooks.after_create = [](const kit::JsonCall& call, const OperationContext& ctx, const std::string& id,
                                    const Attributes& desired) -> Status {
    if (Get(desired, "enable_key_rotation") != true) return {};
    auto r = call(ctx.region, "EnableKeyRotation", {{"KeyId", id}});
    return r.ok() ? Status() : Status(r.error());
  };
  spec.json.hooks.delete_body = [](const Attributes& prior, nlohmann::json& body) {
    auto days = Get(prior, "deletion_window_in_days");
    body["PendingWindowInDays"] = days.is_number() ? days : nlohmann::json(30);
  };
  spec.json.hooks.on_read = [replica](const nlohmann::json& item, const std::string&, Attributes& a) {
    if (replica) a["primary_key_arn"] = kit::JsonAt(item, "MultiRegionConfiguration.PrimaryKey.Arn");
    std::string state = item.value("KeyState", "");
    if (state == "PendingDeletion" || state == "PendingReplicaDeletion") a = nullptr;  // gone for us
  };
  return spec;
}

}  // namespace

void AddKmsKeyTypes(TypeRegistry& p) {
  p.Add(std::make_unique<KeyType>(p.client(), KeySpec(false)));
  p.Add(std::make_unique<ReplicaKeyType>(p.client(), KeySpec(true)));
}

}  // namespace infra::aws
