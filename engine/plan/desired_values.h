// Desired values at apply time: the plan's values re-evaluated once the
// dependencies exist (unknowns in the plan become known), with the same
// attribute rules the planner used (defaults, ignore_changes: KeepIgnored in
// attribute_diff.h), turned into what the provider's Create/Update receives.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"
#include "providers/provider.h"

namespace infra::engine {

/// What a create or update sends, and which of its attributes derive from
/// a secret (recorded as sensitive in state).
struct FinalDesired {
  nlohmann::json attributes;
  std::vector<std::string> sensitive;
};

/// The desired attributes of `change` now. With `evaluate` and `config`
/// (both may be null), re-evaluates the config against `known` (values of
/// what already completed); `prior` (the object's attributes) is non-null
/// for an in-place update, whose ignored attributes keep their prior value.
/// Without them, the plan's `after` values are used and its unknowns (the
/// placeholders of computed values) left out. Errors: evaluation errors; a
/// user-settable attribute still unknown after re-evaluation.
Result<FinalDesired> FinalizeDesired(const ResourceChange& change, const ConfigResource* config,
                                     const AttributeEvaluator& evaluate, const KnownValues& known,
                                     const nlohmann::json* prior, const provider::ResourceSchema& schema);

}  // namespace infra::engine
