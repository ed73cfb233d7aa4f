// aws_iam_policy: a customer-managed policy. The id is its ARN. The
// document lives in the default version, read with one more call per
// policy; an update adds a version as the default (dropping the oldest
// non-default one when AWS's five are used), a delete removes the
// non-default versions first. A lost create is adopted by name and path.
#include <algorithm>
#include <memory>

#include "providers/aws/iam/iam_service.h"
#include "providers/aws/iam/iam_types.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

// Non-default version ids, oldest first.
Result<std::vector<std::string>> OldVersions(const kit::Call& call, const std::string& arn) {
  auto r = call("us-east-1", "ListPolicyVersions", {{"PolicyArn", arn}});
  if (!r.ok()) return r.error();
  std::vector<std::string> out;
  for (pugi::xml_node v : XmlItems(r->root, "ListPolicyVersionsResult/Versions"))
    if (XmlText(v, "IsDefaultVersion") != "true") out.insert(out.begin(), XmlText(v, "VersionId"));
  return out;
}

Status NewDefaultVersion(const kit::Call& call, const std::string& region, const std::string& arn,
                         const Attributes&, const Attributes& desired) {
  auto old = OldVersions(call, arn);
  if (!old.ok()) return old.error();
  if (old->size() >= 4)  // AWS keeps five versions: make room for one
    if (auto r = call(region, "DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", old->front()}}); !r.ok())
      return r.error();
  QueryParams p = {{"PolicyArn", arn}, {"SetAsDefault", "true"}};
  kit::AddParam(p, kit::Protocol::kQuery, "PolicyDocument", kit::Conv::kJsonDocument, desired.contains("policy") ? desired["policy"] : nlohmann::json());
  auto r = call(region, "CreatePolicyVersion", p);
  return r.ok() ? Status() : Status(r.error());
}

// The default version's document of every policy found.
Status ReadDocuments(const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
  for (auto& [arn, a] : found) {
    auto version = kit::AttrText(a, "default_version_id");
    auto r = call(region, "GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", version}});
    if (!r.ok()) return r.error();
    a["policy"] = kit::ReadValue(r->root, "GetPolicyVersionResult/PolicyVersion/Document", kit::Conv::kJsonDocument);
  }
  return {};
}

kit::Spec PolicySpec() {
  auto s = iam::Schema("aws_iam_policy", {
      iam::Document("policy"),
      Optional("path", kForceNew, AttrType::kString, "/"),
      Optional("description", kForceNew),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("policy_id"),
      Computed("default_version_id"),
      Computed("attachment_count", AttrType::kNumber),
  });
  iam::AddNameAttributes(s);
  kit::Spec spec{std::move(s), iam::Service("TagPolicy", "UntagPolicy"), {
      {"name", "PolicyName", "", kit::Conv::kString, kit::kRead},
      {"policy", "PolicyDocument", "-", kit::Conv::kJsonDocument},
      {"path", "Path"},
      {"description", "Description"},
      {"arn", "", "Arn", kit::Conv::kString, kit::kRead},
      {"policy_id", "", "PolicyId", kit::Conv::kString, kit::kRead},
      {"default_version_id", "", "DefaultVersionId", kit::Conv::kString, kit::kRead},
      {"attachment_count", "", "AttachmentCount", kit::Conv::kNumber, kit::kRead},
  }, {"CreatePolicy", "CreatePolicyResult/Policy/Arn"}};
  spec.updates = {{{"policy"}, {}, {}, {}, {}, {}, NewDefaultVersion}};
  spec.del = {"DeletePolicy", {"DeleteConflict"}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetPolicy", "PolicyArn", "GetPolicyResult/Policy"};
  spec.adopt = {kit::Adoption::Kind::kNone};  // PolicyType::FindByAddress: by name and path, then tags
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    iam::AddName(p, "PolicyName", ctx, desired);
  };
  spec.hooks.enrich = ReadDocuments;
  spec.hooks.before_delete = [](const kit::Call& call, const provider::OperationContext&, const Attributes& prior) {
    std::string arn = kit::AttrText(prior, "id");
    auto old = OldVersions(call, arn);
    if (!old.ok()) return Status(old.error());
    for (const auto& v : *old)
      if (auto r = call("us-east-1", "DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", v}}); !r.ok())
        return Status(r.error());
    return Status();
  };
  return spec;
}

// Crash recovery: the id is an ARN AWS makes, so the policy a lost create
// made is found by its name and path (ListPolicies, local scope, under the
// path) and is ours when it carries this address's infra:* tags.
class PolicyType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    const std::string name = iam::NameOf(ctx, desired);
    const std::string given = kit::AttrText(desired, "path");
    const std::string path = given.empty() ? std::string(1, '/') : given;
    std::string arn, marker;
    do {
      QueryParams p = {{"Scope", "Local"}, {"PathPrefix", path}};
      if (!marker.empty()) p.emplace_back("Marker", marker);
      auto r = call()("us-east-1", "ListPolicies", p);
      if (!r.ok()) return r.error();
      for (pugi::xml_node item : XmlItems(r->root, "ListPoliciesResult/Policies"))
        if (XmlText(item, "PolicyName") == name && XmlText(item, "Path") == path) arn = XmlText(item, "Arn");
      bool more = XmlText(r->root, "ListPoliciesResult/IsTruncated") == "true";
      marker = more && arn.empty() ? XmlText(r->root, "ListPoliciesResult/Marker") : "";
    } while (!marker.empty());
    if (arn.empty() || std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), arn) != ctx.exclude_ids.end())
      return std::optional<Attributes>();
    auto ours = iam::TaggedAsOurs(call(), ctx, "GetPolicy", "PolicyArn", arn, "GetPolicyResult/Policy");
    if (!ours.ok()) return ours.error();
    if (!*ours) return std::optional<Attributes>();
    auto got = Read("us-east-1", {arn});
    if (!got.ok()) return got.error();
    auto it = got->find(arn);
    return it == got->end() ? std::optional<Attributes>() : std::optional<Attributes>(it->second);
  }
};

}  // namespace

void AddIamPolicyTypes(TypeRegistry& p) { p.Add(std::make_unique<PolicyType>(p.client(), PolicySpec())); }

}  // namespace infra::aws
