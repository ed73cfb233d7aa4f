// aws_kms_alias: a friendly name ("alias/app") for a key. The id is the
// name; reads list the region's aliases once (ListAliases, NextMarker
// followed) for every alias asked; the target key changes in place.
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/kms/kms_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;

class AliasType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;

  Result<std::map<std::string, Attributes>> Read(const std::string& region, const std::vector<std::string>& ids) override {
    std::map<std::string, Attributes> out;
    if (ids.empty()) return out;
    nlohmann::json body = nlohmann::json::object();
    for (;;) {
      auto r = call()(region, "ListAliases", body);
      if (!r.ok()) return r.error();
      for (const auto& a : r->value("Aliases", nlohmann::json::array())) {
        std::string name = a.value("AliasName", "");
        if (std::find(ids.begin(), ids.end(), name) == ids.end() || !a.contains("TargetKeyId")) continue;
        std::string arn = a.value("AliasArn", "");
        out[name] = {{"id", name}, {"name", name}, {"arn", arn}, {"target_key_id", a["TargetKeyId"]},
                     {"target_key_arn", arn.substr(0, arn.find(":alias/")) + ":key/" + a["TargetKeyId"].get<std::string>()}};
      }
      if (r->value("Truncated", false) != true || r->value("NextMarker", "").empty()) return out;
      body["Marker"] = (*r)["NextMarker"];
    }
  }

  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    std::string name = kit::AttrText(desired, "name");
    auto got = Read(ctx.region, {name});
    if (!got.ok()) return got.error();
    auto it = got->find(name);
    if (it == got->end() || kit::AttrText(it->second, "target_key_id") != kit::AttrText(desired, "target_key_id"))
      return std::optional<Attributes>();
    return std::optional<Attributes>(it->second);  // the alias of this key: what the create made
  }
};

kit::Spec AliasSpec() {
  provider::ResourceSchema s;
  s.type = "aws_kms_alias";
  s.service = "kms";
  s.taggable = false;
  s.attributes = {
      Matching(Required("name", kForceNew), "alias/[a-zA-Z0-9/_-]+"),
      Required("target_key_id"),
      Computed("id"), Computed("arn"), Computed("target_key_arn"),
  };
  kit::Service svc{"kms", kit::Protocol::kJson, {}, {"NotFoundException"}};
  kit::Spec spec{std::move(s), svc, {
      {"name", "AliasName"},
      {"target_key_id", "TargetKeyId"},
  }, {"CreateAlias", ""}};
  spec.updates = {{{"target_key_id"}, "UpdateAlias"}};
  spec.del = {"DeleteAlias", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "ListAliases", "AliasName", "Aliases"};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.json.id_member = "AliasName";
  return spec;
}

}  // namespace

void AddKmsAliasTypes(TypeRegistry& p) { p.Add(std::make_unique<AliasType>(p.client(), AliasSpec())); }

}  // namespace infra::aws
