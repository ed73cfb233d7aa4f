// Tags on the JSON protocols (Tagging::Style::kTagResource): the user's and
// the infra:* tags in the shape a service wants (a map, [{key,value}] or
// [{Key,Value}]), read back from any of them, and the TagResource /
// UntagResource calls that move a resource from prior to desired tags.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "providers/aws/kit/json_wire.h"
#include "providers/aws/sdk/protocol_query.h"

namespace infra::aws::kit {

/// `tags` in `shape` (a map, or a list of key/value objects in key order).
nlohmann::json TagsToJson(JsonTagging::Shape shape, const TagList& tags);

/// Every tag of a reply value (infra:* included), whatever its shape.
std::map<std::string, std::string> TagsFromJson(const nlohmann::json& wire);

/// The user's tags of `all` (infra:* left out); null when there is none.
nlohmann::json UserTagsOf(const std::map<std::string, std::string>& all);

/// Tag/untag calls so `resource` (the value of JsonTagging::resource_attr)
/// carries `desired` user tags instead of `prior` ones; none when equal.
Status UpdateJsonTags(const JsonCall& call, const std::string& region, const std::string& resource,
                      const nlohmann::json& prior, const nlohmann::json& desired);

}  // namespace infra::aws::kit
