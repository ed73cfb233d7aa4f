// aws_iam_openid_connect_provider (GitHub Actions'
// token.actions.githubusercontent.com, for OIDC deploy roles). The id is
// its ARN. IAM reports the URL without its scheme; reads put "https://"
// back so the configured URL does not show as drift.
#include <memory>
#include <set>

#include "providers/aws/iam/iam_service.h"
#include "providers/aws/iam/iam_types.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"

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
  spec.adopt = {kit::Adoption::Kind::kNone};  // one provider per URL: a twin create fails, none is made
  spec.hooks.on_read = [](pugi::xml_node, const std::string&, Attributes& a) {
    a["arn"] = a["id"];
    std::string url = kit::AttrText(a, "url");
    if (!url.empty() && url.find("://") == std::string::npos) a["url"] = "https://" + url;
  };
  return spec;
}

}  // namespace

void AddIamOidcProviderTypes(TypeRegistry& p) { p.Add(std::make_unique<kit::SpecType>(p.client(), OidcSpec())); }

}  // namespace infra::aws
