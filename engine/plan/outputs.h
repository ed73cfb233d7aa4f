// Root outputs in plan and apply: the diff between the outputs state
// recorded and the planned ones (Plan::output_changes), and recording the
// evaluated outputs after an apply. Outputs live only in state: changing
// one calls no API.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

/// One OutputChange per name in `before` or `after`, sorted by name:
/// create (only planned), delete (only recorded), update (value differs,
/// the planned one is not wholly known, or its secrecy changed), no-op.
std::vector<OutputChange> DiffOutputs(const std::map<std::string, Value>& before, const Value::Map& after);

/// The output changes of a destroy plan. Destroying everything deletes
/// every recorded output. A targeted destroy changes only the outputs that
/// read something it destroys: evaluated against `surviving` (what the
/// plan leaves in place), an output that is no longer wholly known is
/// deleted and the others stay as recorded (no-op).
Result<std::vector<OutputChange>> DestroyOutputChanges(const std::map<std::string, Value>& recorded,
                                                       const OutputEvaluator& evaluate, const KnownValues& surviving,
                                                       bool everything);

/// The outputs state keeps after a destroy `plan` was applied: the
/// recorded ones minus those the plan deletes.
std::map<std::string, Value> OutputsAfterDestroy(const Plan& plan, const std::map<std::string, Value>& recorded);

/// The values to evaluate outputs against after an apply: `after_apply`
/// (what the executor ended with), except that a resource whose value
/// there has unknown parts takes what `state` (the snapshot the apply
/// started from) recorded for it. That happens to resources a saved plan
/// left alone: the plan file carries no secrets, so their sensitive
/// attributes come back unknown, and outputs derived from them would be
/// lost. Resources the apply changed are known from its results.
KnownValues ValuesForOutputs(const KnownValues& after_apply, const StateSnapshot& state,
                             const provider::Provider& provider);

/// Evaluates the outputs against `values` (what the run ended with) and
/// replaces the outputs in `state` with them. An output that is not wholly
/// known (it reads a resource a --target or failed apply did not create)
/// keeps its `previous` recorded value, or is left out: never written as
/// null. Returns what was written (for display). Evaluation or storage
/// errors are returned and nothing is written.
Result<Value::Map> RecordOutputs(const OutputEvaluator& evaluate, const KnownValues& values,
                                 const std::map<std::string, Value>& previous, StatePort& state);

}  // namespace infra::engine
