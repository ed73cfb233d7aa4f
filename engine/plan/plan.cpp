// The change model: action names/symbols, the action switch, summaries.
#include "engine/plan/plan.h"

#include <algorithm>
#include <set>

namespace infra::engine {

std::vector<std::string> ActionNames(Action a) {
  switch (a) {
    case Action::kNoOp: return {"no-op"};
    case Action::kCreate: return {"create"};
    case Action::kRead: return {"read"};
    case Action::kUpdate: return {"update"};
    case Action::kDeleteThenCreate: return {"delete", "create"};
    case Action::kCreateThenDelete: return {"create", "delete"};
    case Action::kDelete: return {"delete"};
  }
  return {"no-op"};
}

std::string_view ActionSymbol(Action a) {
  switch (a) {
    case Action::kNoOp: return " ";
    case Action::kCreate: return "+";
    case Action::kRead: return "<=";
    case Action::kUpdate: return "~";
    case Action::kDeleteThenCreate: return "-/+";
    case Action::kCreateThenDelete: return "+/-";
    case Action::kDelete: return "-";
  }
  return " ";
}

Action ActionFromNames(const std::vector<std::string>& names) {
  for (Action a : {Action::kNoOp, Action::kCreate, Action::kRead, Action::kUpdate, Action::kDeleteThenCreate,
                   Action::kCreateThenDelete, Action::kDelete})
    if (ActionNames(a) == names) return a;
  return Action::kNoOp;
}

namespace {
constexpr std::pair<ActionReason, std::string_view> kReasons[] = {
    {ActionReason::kReplaceBecauseCannotUpdate, "replace_because_cannot_update"},
    {ActionReason::kReplaceByRequest, "replace_by_request"},
    {ActionReason::kCreateBecauseDeletedOutside, "create_because_deleted_outside"},
    {ActionReason::kDeleteBecauseNoConfig, "delete_because_no_resource_config"},
    {ActionReason::kDeleteBecauseDestroy, "delete_because_destroy"},
    {ActionReason::kForgetBecauseRemoved, "forget_because_removed"},
};
}  // namespace

std::string_view ReasonName(ActionReason r) {
  for (const auto& [reason, name] : kReasons)
    if (reason == r) return name;
  return "";
}

ActionReason ReasonFromName(std::string_view name) {
  for (const auto& [reason, n] : kReasons)
    if (n == name) return reason;
  return ActionReason::kNone;
}

bool ActionDeletes(Action a) {
  return a == Action::kDelete || a == Action::kDeleteThenCreate || a == Action::kCreateThenDelete;
}
bool ActionCreates(Action a) {
  return a == Action::kCreate || a == Action::kDeleteThenCreate || a == Action::kCreateThenDelete;
}

// The one switch that turns facts into an action. Everything else in the
// planner only gathers the facts.
Action DecideAction(bool exists, bool wanted, bool replace, bool update, bool create_before_destroy) {
  if (!exists) return wanted ? Action::kCreate : Action::kNoOp;
  if (!wanted) return Action::kDelete;
  if (replace) return create_before_destroy ? Action::kCreateThenDelete : Action::kDeleteThenCreate;
  if (update) return Action::kUpdate;
  return Action::kNoOp;
}

std::vector<std::string> ResourceChange::ChangedAttributes() const {
  std::set<std::string> names;
  for (const auto& [k, v] : before) names.insert(k);
  for (const auto& [k, v] : after) names.insert(k);
  std::vector<std::string> out;
  for (const auto& name : names) {
    auto b = before.find(name);
    auto a = after.find(name);
    Value bv = b == before.end() ? Value() : b->second;
    Value av = a == after.end() ? Value() : a->second;
    if (!(bv == av)) out.push_back(name);
  }
  return out;
}

namespace {
bool HoldsSecret(const Value& v) {
  if (v.sensitive()) return true;
  if (v.kind() == ValueKind::kList)
    return std::any_of(v.AsList().begin(), v.AsList().end(), HoldsSecret);
  if (v.kind() == ValueKind::kMap)
    return std::any_of(v.AsMap().begin(), v.AsMap().end(), [](const auto& kv) { return HoldsSecret(kv.second); });
  return false;
}

// `v` with the marks `other` has at the same paths.
Value MarkLike(const Value& v, const Value& other) {
  if (v.sensitive() || !HoldsSecret(other)) return v;
  // Positions in a list shift when an element comes or goes: a list with a
  // secret anywhere hides the whole list on the other side.
  if (other.sensitive() || v.kind() != other.kind() || v.kind() == ValueKind::kList) return v.WithSensitive();
  if (v.kind() == ValueKind::kMap) {
    Value::Map items = v.AsMap();
    for (auto& [k, e] : items)
      if (auto it = other.AsMap().find(k); it != other.AsMap().end()) e = MarkLike(e, it->second);
    return Value::MakeMap(std::move(items));
  }
  return v.WithSensitive();
}
}  // namespace

void ShareSensitivity(Value::Map* before, Value::Map* after) {
  for (auto& [k, b] : *before) {
    auto it = after->find(k);
    if (it == after->end()) continue;
    Value a = it->second;
    it->second = MarkLike(a, b);
    b = MarkLike(b, a);
  }
}

std::string_view PlanModeName(PlanMode m) {
  switch (m) {
    case PlanMode::kNormal: return "normal";
    case PlanMode::kDestroy: return "destroy";
    case PlanMode::kRefreshOnly: return "refresh-only";
  }
  return "normal";
}

bool IsReadAtPlan(const ResourceChange& c) {
  if (c.action != Action::kRead || !IsDataAddress(c.address)) return false;
  return std::all_of(c.after.begin(), c.after.end(), [](const auto& kv) { return kv.second.is_wholly_known(); });
}

PlanSummary Plan::Summary() const {
  PlanSummary s;
  for (const auto& c : changes) {
    if (!c.moved_from.empty()) ++s.moved;
    if (!c.imported_id.empty()) ++s.import;
    if (c.reason == ActionReason::kForgetBecauseRemoved) {
      ++s.forget;
      continue;
    }
    if (IsDataAddress(c.address)) {  // read into state or forgotten: nothing made or destroyed
      if (c.action == Action::kRead && !IsReadAtPlan(c)) ++s.read;
      continue;
    }
    if (ActionCreates(c.action)) ++s.add;
    if (ActionDeletes(c.action)) ++s.destroy;
    if (c.action == Action::kUpdate) ++s.change;
    if (c.action == Action::kRead) ++s.read;
  }
  return s;
}

bool Plan::HasChanges() const { return HasResourceChanges() || HasOutputChanges(); }

bool Plan::HasResourceChanges() const {
  return std::any_of(changes.begin(), changes.end(),
                     [](const ResourceChange& c) {
                       return (c.action != Action::kNoOp && !IsReadAtPlan(c)) || !c.moved_from.empty() || !c.imported_id.empty();
                     });
}

bool Plan::HasOutputChanges() const {
  return std::any_of(output_changes.begin(), output_changes.end(),
                     [](const OutputChange& o) { return o.action != Action::kNoOp; });
}

const ResourceChange* Plan::Find(std::string_view address) const {
  for (const auto& c : changes)
    if (c.address == address) return &c;
  return nullptr;
}

}  // namespace infra::engine
