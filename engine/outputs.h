// Root outputs in plan and apply: the diff between the outputs state
// recorded and the planned ones (Plan::output_changes), and recording the
// evaluated outputs after an apply. Outputs live only in state: changing
// one calls no API.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/plan.h"
#include "engine/state_port.h"

namespace infra::engine {

/// One OutputChange per name in `before` or `after`, sorted by name:
/// create (only planned), delete (only recorded), update (value differs,
/// the planned one is not wholly known, or its secrecy changed), no-op.
std::vector<OutputChange> DiffOutputs(const std::map<std::string, Value>& before, const Value::Map& after);

/// After an apply: evaluates the outputs against the resource values the
/// run ended with and replaces the outputs in `state` with them. Returns
/// what was written (for display). Evaluation or storage errors are
/// returned and nothing is written.
Result<Value::Map> RecordOutputs(const OutputEvaluator& evaluate, const KnownValues& values, StatePort& state);

}  // namespace infra::engine
