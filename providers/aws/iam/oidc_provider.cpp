// aws_iam_openid_connect_provider (GitHub Actions'
// token.actions.githubusercontent.com, for OIDC deploy roles). The id is
// its ARN. IAM reports the URL without its scheme; reads put "https://"
// back so the configured URL does not show as drift. A lost create is
// adopted by its URL.
#include <algorithm>
#include <memory>
#include <set>

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

std::set<std::string> Strings(const Attributes& a, const char* key) {
  std::set<std::string> out;
  if (a.contains(key) && a[key].is_array())
    for (const auto& v : a[key])
      if (v.is_string()) out.insert(v.get<std::string>());
  return out;
}

// Client ids are added and removed one at a time.
Status UpdateClientIds(const kit::Call& call, const std::string& region, const std::string& arn,
                       const Attributes& prior, const Attributes& desired) {
  auto before = Strings(prior, "client_id_list"), after = Strings(desired, "client_id_list");
  for (const auto& id : after)
    if (!before.count(id))
      if (auto r = call(region, "AddClientIDToOpenIDConnectProvider",
                        {{"OpenIDConnectProviderArn", arn}, {"ClientID", id}});
          !r.ok())
        return r.error();
  for (const auto& id : before)
    if (!after.count(id))
      if (auto r = call(region, "RemoveClientIDFromOpenIDConnectProvider",
                        {{"OpenIDConnectProviderArn", arn}, {"ClientID", id}});
          !r.ok())
        return r.error();
  return {};
}

kit::Spec OidcSpec() {
  auto s = iam::Schema("aws_iam_openid_connect_provider", {
      Matching(Required("url", kForceNew), "https://.+"),
      Required("client_id_list", kNone, AttrType::kSetString),
      OptionalComputed("thumbprint_list", kNone, AttrType::kSetString),
      Tags(),
      Computed("id"),
      Computed("arn"),
  });
  kit::Spec spec{std::move(s), iam::Service("TagOpenIDConnectProvider", "UntagOpenIDConnectProvider"), {
      {"url", "Url"},
      {"client_id_list", "ClientIDList", "", kit::Conv::kStringList},
      {"thumbprint_list", "ThumbprintList", "", kit::Conv::kStringList},
  }, {"CreateOpenIDConnectProvider", "CreateOpenIDConnectProviderResult/OpenIDConnectProviderArn"}};
  spec.updates = {
      {{"thumbprint_list"}, "UpdateOpenIDConnectProviderThumbprint"},
      {{"client_id_list"}, {}, {}, {}, {}, {}, UpdateClientIds},
  };
  spec.del = {"DeleteOpenIDConnectProvider", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetOpenIDConnectProvider", "OpenIDConnectProviderArn",
               "GetOpenIDConnectProviderResult"};
  spec.adopt = {kit::Adoption::Kind::kNone};  // OidcProviderType::FindByAddress: by URL, then tags
  spec.hooks.on_read = [](pugi::xml_node, const std::string&, Attributes& a) {
    a["arn"] = a["id"];
    std::string url = kit::AttrText(a, "url");
    if (!url.empty() && url.find("://") == std::string::npos) a["url"] = "https://" + url;
  };
  return spec;
}

// Crash recovery: one provider per URL, and its ARN ends with the URL
// without its scheme (ListOpenIDConnectProviders lists ARNs only). A lost
// create's repeat would fail with EntityAlreadyExists and leave the first
// one orphaned; the lookup adopts it when it carries this address's tags.
class OidcProviderType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                  const Attributes& desired) override {
    std::string url = kit::AttrText(desired, "url");
    if (auto scheme = url.find("://"); scheme != std::string::npos) url = url.substr(scheme + 3);
    if (url.empty()) return std::optional<Attributes>();
    auto r = call()("us-east-1", "ListOpenIDConnectProviders", {});
    if (!r.ok()) return r.error();
    const std::string suffix = ":oidc-provider/" + url;
    for (pugi::xml_node item : XmlItems(r->root, "ListOpenIDConnectProvidersResult/OpenIDConnectProviderList")) {
      std::string arn = XmlText(item, "Arn");
      if (arn.size() < suffix.size() || arn.compare(arn.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      if (std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), arn) != ctx.exclude_ids.end()) continue;
      auto ours = iam::TaggedAsOurs(call(), ctx, "GetOpenIDConnectProvider", "OpenIDConnectProviderArn", arn,
                                    "GetOpenIDConnectProviderResult");
      if (!ours.ok()) return ours.error();
      if (!*ours) return std::optional<Attributes>();
      auto got = Read("us-east-1", {arn});
      if (!got.ok()) return got.error();
      auto it = got->find(arn);
      return it == got->end() ? std::optional<Attributes>() : std::optional<Attributes>(it->second);
    }
    return std::optional<Attributes>();
  }
};

}  // namespace

void AddIamOidcProviderTypes(TypeRegistry& p) { p.Add(std::make_unique<OidcProviderType>(p.client(), OidcSpec())); }

}  // namespace infra::aws
