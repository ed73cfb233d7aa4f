// Tags as every type writes and reads them: the user's tags plus the
// infra:stack / infra:address tags the provider manages, at create and on
// update, in EC2 (tagSet/item, key/value) and AWS query (Tags/member,
// Key/Value) form. A null tag value means "not set" (no tag).
#pragma once
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>

#include "providers/aws/kit/wire.h"
#include "providers/provider.h"

namespace infra::aws::kit {

/// Tag keys the provider manages; they never appear in `tags`.
inline constexpr const char* kStackTag = "infra:stack";
inline constexpr const char* kAddressTag = "infra:address";

/// The user's tags (null values left out) plus infra:stack / infra:address
/// (when the context has them), in key order.
TagList InfraTags(const provider::OperationContext& ctx, const nlohmann::json& user_tags);
/// The user's tags only, null values left out, in key order.
TagList UserTagList(const nlohmann::json& user_tags);

/// An item's tags (EC2 <tagSet>, query <Tags>) as a JSON object without
/// infra:* keys; null when there is none (an untagged resource reads back
/// as `tags: null`).
nlohmann::json ReadUserTags(pugi::xml_node item, Protocol protocol);
/// The value of tag `key` of an item ("" when absent).
std::string ReadTag(pugi::xml_node item, Protocol protocol, std::string_view key);

/// Adds the create-time tags (user + infra:*) to a create call's params.
void AddCreateTags(QueryParams& params, const Service& service, const provider::OperationContext& ctx,
                   const nlohmann::json& user_tags);
/// Tag/untag calls so `id` carries `desired` user tags instead of `prior`
/// ones (`id_params` name the resource). No call when they are equal.
Status UpdateTags(const Call& call, const std::string& region, const QueryParams& id_params,
                  const nlohmann::json& prior, const nlohmann::json& desired);

/// Tags an existing object (an import) with ctx's infra:stack /
/// infra:address, as Create tags a new one; its user tags are untouched.
Status TagAsManaged(const Call& call, const std::string& region, const QueryParams& id_params,
                    const provider::OperationContext& ctx);

}  // namespace infra::aws::kit
