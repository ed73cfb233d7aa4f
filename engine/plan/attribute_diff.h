// Attribute-level comparison of desired values against current ones, driven
// by the provider schema: which attributes changed, which of those force
// replacement, what an unset optional or computed attribute means, and
// conversions between state JSON and Values.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/plan/state_port.h"
#include "engine/lang/value.h"
#include "providers/provider.h"

namespace infra::engine {

/// Values equal as the user means them: 80 == "80", null == [] == {},
/// lists and maps element-wise. Unknown is equivalent to nothing.
bool Equivalent(const Value& a, const Value& b);

/// State/provider JSON attributes -> Values; schema-sensitive ones marked.
Value::Map AttributesToValues(const nlohmann::json& attributes, const provider::ResourceSchema& schema);
/// As above, also marking the top-level attributes `sensitive_names` (what
/// state records as derived from secrets: StateResource::sensitive_attributes)
/// so a secret read back from state or from AWS stays hidden.
Value::Map AttributesToValues(const nlohmann::json& attributes, const provider::ResourceSchema& schema,
                              const std::vector<std::string>& sensitive_names);
/// Values -> JSON (unknowns become null, marks dropped).
nlohmann::json ValuesToAttributes(const Value::Map& values);

/// Desired values with schema defaults filled in for unset attributes and
/// schema-sensitive ones marked.
Value::Map WithDefaults(const Value::Map& desired, const provider::ResourceSchema& schema);

/// What the provider gets for Create/Update: every user-settable attribute
/// with a non-null known value; computed ones never.
nlohmann::json ProviderDesired(const Value::Map& desired, const provider::ResourceSchema& schema);

struct AttributeDiff {
  std::vector<std::string> changed;     // every attribute that differs
  std::vector<std::string> force_new;   // the subset that forces replacement
};

/// Compares desired (after defaults) with prior. Computed attributes, and
/// optional+computed ones the user left unset, are AWS's business: never a
/// difference. ignore_changes names are skipped ("all" skips everything).
AttributeDiff DiffAttributes(const Value::Map& prior, const Value::Map& desired,
                             const provider::ResourceSchema& schema, const Lifecycle& lifecycle);

/// True if `lifecycle.ignore_changes` covers `name`.
bool IgnoresChanges(const Lifecycle& lifecycle, const std::string& name);
/// `desired` with every ignored attribute set back to its `prior` value (or
/// left out when prior has none): what an in-place update sends, so the
/// plan's DiffAttributes and the apply agree on what ignore_changes keeps.
Value::Map KeepIgnored(Value::Map desired, const Value::Map& prior, const provider::ResourceSchema& schema,
                       const Lifecycle& lifecycle);

/// The planned attributes after a create: desired values, computed and
/// unset optional+computed attributes unknown, "id" unknown.
Value::Map PlannedForCreate(const Value::Map& desired, const provider::ResourceSchema& schema);
/// The planned attributes after an in-place update: prior with the changed
/// attributes taken from desired.
Value::Map PlannedForUpdate(const Value::Map& prior, const Value::Map& desired, const AttributeDiff& diff);

/// Attributes the user can set that differ between two attribute objects
/// (state vs refreshed): what drift shows.
std::vector<std::string> DriftedAttributes(const Value::Map& recorded, const Value::Map& refreshed,
                                           const provider::ResourceSchema& schema);

}  // namespace infra::engine
