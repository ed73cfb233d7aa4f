// Output diff and recording. A secret's value never decides how it is
// shown: only its action and the (sensitive value) marker are.
#include "engine/plan/outputs.h"

#include "engine/plan/attribute_diff.h"
#include "engine/plan/schema_lookup.h"
#include "engine/lang/expr_functions.h"  // ContainsSensitive
#include "providers/provider.h"

namespace infra::engine {

std::vector<OutputChange> DiffOutputs(const std::map<std::string, Value>& before, const Value::Map& after) {
  std::map<std::string, OutputChange> by_name;
  for (const auto& [name, v] : before) {
    OutputChange& o = by_name[name];
    o.name = name;
    o.before = v;
    o.action = Action::kDelete;
  }
  for (const auto& [name, v] : after) {
    OutputChange& o = by_name[name];
    bool recorded = o.action == Action::kDelete;
    o.name = name;
    o.after = v;
    if (!recorded) {
      o.action = Action::kCreate;
      continue;
    }
    // Value equality ignores the sensitive mark and an unknown equals
    // nothing, so "known after apply" always counts as a change.
    bool same = o.before == v && ContainsSensitive(o.before) == ContainsSensitive(v);
    o.action = same ? Action::kNoOp : Action::kUpdate;
  }
  std::vector<OutputChange> out;
  out.reserve(by_name.size());
  for (auto& [name, o] : by_name) {
    o.sensitive = ContainsSensitive(o.before) || ContainsSensitive(o.after);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<OutputChange>> DestroyOutputChanges(const std::map<std::string, Value>& recorded,
                                                       const OutputEvaluator& evaluate, const KnownValues& surviving,
                                                       bool everything) {
  std::vector<OutputChange> out = DiffOutputs(recorded, {});
  if (everything || !evaluate) return out;
  auto after = evaluate(surviving);
  if (!after.ok()) return after.error();
  for (auto& o : out) {
    auto it = after->find(o.name);
    if (it == after->end() || !it->second.is_wholly_known()) continue;  // reads what is destroyed: deleted
    o.action = Action::kNoOp;
    o.after = o.before;
  }
  return out;
}

std::map<std::string, Value> OutputsAfterDestroy(const Plan& plan, const std::map<std::string, Value>& recorded) {
  std::map<std::string, Value> out = recorded;
  for (const auto& o : plan.output_changes)
    if (o.action == Action::kDelete) out.erase(o.name);
  return out;
}

KnownValues ValuesForOutputs(const KnownValues& after_apply, const StateSnapshot& state,
                             const provider::Provider& provider) {
  KnownValues out = after_apply;
  for (const auto& r : state.resources) {
    auto it = out.find(r.address);
    if (it == out.end() || it->second.is_wholly_known()) continue;
    if (const auto* schema = SchemaFor(provider, r.type, r.address))
      it->second = Value::MakeMap(AttributesToValues(r.attributes, *schema, r.sensitive_attributes));
  }
  return out;
}

Result<Value::Map> RecordOutputs(const OutputEvaluator& evaluate, const KnownValues& values,
                                 const std::map<std::string, Value>& previous, StatePort& state) {
  auto evaluated = evaluate(values);
  if (!evaluated.ok()) return evaluated.error();
  Value::Map stored;
  for (auto& [name, value] : *evaluated) {
    if (value.is_wholly_known()) {
      stored.emplace(name, std::move(value));
    } else if (auto it = previous.find(name); it != previous.end()) {
      stored.emplace(name, it->second);  // not known yet (e.g. outside a --target apply): keep what we had
    }
  }
  if (Status st = state.PutOutputs(std::map<std::string, Value>(stored.begin(), stored.end())); !st.ok())
    return st.error();
  return stored;
}

}  // namespace infra::engine
