// ELBv2's wire shapes beyond the kit's flat field table: fields of nested
// blocks (health_check.path <-> HealthCheckPath), the Key/Value attribute
// APIs (Modify/Describe*Attributes), and the actions and conditions of
// listeners and rules (lists of blocks as DefaultActions.member.N.*).
#pragma once
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "providers/aws/kit/wire.h"
#include "providers/provider.h"

namespace infra::aws::elbv2 {

/// One field of a block: `attr` is a dotted path inside a JSON object
/// ("health_check.path", "redirect.port"); `param` the dotted wire name
/// below a prefix ("HealthCheckPath", "RedirectConfig.Port"), read back at
/// the same path with '/' for '.'.
struct BlockField {
  std::string attr;
  std::string param;
  kit::Conv conv = kit::Conv::kString;
};

/// The value at a dotted path of `obj` (null when absent).
nlohmann::json GetPath(const nlohmann::json& obj, const std::string& dotted);

/// `prefix` + param for every field set in `obj`.
void AddBlockParams(QueryParams& p, const std::string& prefix, const std::vector<BlockField>& fields,
                    const nlohmann::json& obj);
/// Sets each field found in `item` at its path of `obj` (parents made as
/// needed; absent fields leave `obj` alone).
void ReadBlockFields(pugi::xml_node item, const std::vector<BlockField>& fields, nlohmann::json& obj);

/// One key of a Key/Value attribute API: `attr` a dotted path of the
/// resource's attributes, `key` AWS's ("idle_timeout.timeout_seconds").
struct AttributeKey {
  std::string attr;
  std::string key;
  kit::Conv conv = kit::Conv::kString;
};

/// `action` (ModifyLoadBalancerAttributes...) on `id_param`=`id` with every
/// key whose desired value is set; no call when none is.
Status ModifyAttributes(const kit::Call& call, const std::string& region, const std::string& action,
                        const std::string& id_param, const std::string& id, const std::vector<AttributeKey>& keys,
                        const provider::Attributes& desired);
/// `action` (Describe*Attributes) once per resource of `found` (the API has
/// no batch form), each key's value set at its path.
Status ReadAttributes(const kit::Call& call, const std::string& region, const std::string& action,
                      const std::string& id_param, const std::vector<AttributeKey>& keys,
                      std::map<std::string, provider::Attributes>& found);

/// Listener and rule actions: `list` (default_action / action blocks) as
/// `name`.member.N.* with Order N.
void AddActions(QueryParams& p, const std::string& name, const nlohmann::json& list);
/// The actions under `node` (DefaultActions / Actions) in Order.
nlohmann::json ReadActions(pugi::xml_node node);
/// Rule conditions (path_pattern / host_header blocks) as Conditions.member.N.*.
void AddConditions(QueryParams& p, const nlohmann::json& list);
/// The conditions under `node`.
nlohmann::json ReadConditions(pugi::xml_node node);
/// The schema of one action block and of one condition block.
std::vector<provider::AttributeSchema> ActionBlock();
std::vector<provider::AttributeSchema> ConditionBlock();

/// The part of an ELBv2 ARN after "loadbalancer/" or "targetgroup/" (Terraform's arn_suffix).
std::string ArnSuffix(const std::string& arn);

}  // namespace infra::aws::elbv2
