// The change model: a Plan is a list of ResourceChange, each an Action (as
// OpenTofu: no-op, create, update, delete-then-create, create-then-delete,
// delete, plus read for refresh-only drift) with a display-only reason and
// attribute-level before/after. DecideAction is the one place that picks it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/plan/state_port.h"
#include "engine/lang/value.h"

namespace infra::engine {

enum class Action { kNoOp, kCreate, kRead, kUpdate, kDeleteThenCreate, kCreateThenDelete, kDelete };

/// Why an action was chosen; shown to people, never changes behaviour.
enum class ActionReason {
  kNone,
  kReplaceBecauseCannotUpdate,   // an attribute that forces replacement changed
  kReplaceByRequest,             // --replace ADDRESS
  kCreateBecauseDeletedOutside,  // refresh found it gone
  kDeleteBecauseNoConfig,        // in state, no longer in the stack
  kDeleteBecauseDestroy,         // destroy / plan --destroy
  kForgetBecauseRemoved,         // `removed:` in the stack: dropped from state, the object is kept
};

/// "create", "update", "delete", ... as a sequence, like OpenTofu's JSON:
/// delete-then-create is ["delete","create"].
std::vector<std::string> ActionNames(Action a);
/// Symbol in human output: "+", "~", "-", "-/+", "+/-", "<=", " ".
std::string_view ActionSymbol(Action a);
/// Stable name of a reason ("replace_because_cannot_update", ...); "" for none.
std::string_view ReasonName(ActionReason r);
Action ActionFromNames(const std::vector<std::string>& names);
ActionReason ReasonFromName(std::string_view name);

/// True if the action removes the current object.
bool ActionDeletes(Action a);
/// True if the action creates a new object.
bool ActionCreates(Action a);

/// The one switch: from what exists and what is wanted to an Action.
/// `exists`: there is a current object; `wanted`: the stack declares it;
/// `replace`: a force-new attribute changed or replacement was requested;
/// `update`: an updatable attribute changed.
Action DecideAction(bool exists, bool wanted, bool replace, bool update, bool create_before_destroy);

/// What refresh found changed outside infra.
struct Drift {
  bool deleted = false;
  Value::Map before;                 // as recorded in state
  Value::Map after;                  // as read from AWS
  std::vector<std::string> changed;  // attribute names that differ
};

struct ResourceChange {
  std::string address;
  std::string type;
  std::string region_alias;
  std::string region;
  std::string id;  // current physical id, "" when none
  Action action = Action::kNoOp;
  ActionReason reason = ActionReason::kNone;
  Value::Map before;  // current attributes (refreshed); empty for create
  Value::Map after;   // planned attributes, unknowns = known after apply; empty for delete
  std::vector<std::string> replace_paths;  // attributes forcing replacement
  std::optional<Drift> drift;
  std::vector<std::string> depends_on;  // for create/update: config deps; for delete: state deps
  bool create_before_destroy = false;
  /// Non-empty: this change deletes a deposed object (the old object of an
  /// interrupted create_before_destroy replacement, kept in state) with
  /// this key; `address` is its resource's address, `id` its physical id.
  std::string deposed;
  /// Non-empty: state recorded this object under that address; a `moved:`
  /// entry renames it (the apply renames it in state first).
  std::string moved_from;
  /// Non-empty: an `import:` entry adopts the existing object with this id
  /// (`before` is what reading it found); the apply records it in state,
  /// tagged, before any update. A no-op import still counts as a change.
  std::string imported_id;

  /// Attribute names whose value differs between before and after.
  std::vector<std::string> ChangedAttributes() const;
};

/// A data source's read (kRead on a data address) whose result is already
/// in `after` (read while planning): applying it only writes state. Such
/// reads are not shown and do not count as changes, as in Terraform; reads
/// deferred to the apply are and do.
bool IsReadAtPlan(const ResourceChange& c);

/// A change to one root output. Outputs live only in state, so applying
/// one calls no API; the action is kNoOp, kCreate, kUpdate or kDelete.
struct OutputChange {
  std::string name;
  Action action = Action::kNoOp;
  Value before;  // as state recorded it; null for a create
  Value after;   // planned; unknown (or with unknown parts) = known after apply; null for a delete
  /// Either side is secret (declared sensitive or derived from a secret):
  /// the values are never displayed nor written to plan JSON.
  bool sensitive = false;
};

/// Sensitivity on both sides of a diff: every part of `*before` whose
/// counterpart in `*after` (same path) is or holds a secret becomes
/// sensitive, and the other way round, so neither the old value of a
/// now-secret attribute nor the new value of a formerly secret one is shown
/// or written. A shape mismatch marks the whole value.
void ShareSensitivity(Value::Map* before, Value::Map* after);

enum class PlanMode { kNormal, kDestroy, kRefreshOnly };
std::string_view PlanModeName(PlanMode m);

struct PlanSummary {
  int add = 0, change = 0, destroy = 0, read = 0;
  int moved = 0, forget = 0, import = 0;
};

struct Plan {
  std::string stack;
  PlanMode mode = PlanMode::kNormal;
  std::string state_lineage;
  int64_t state_serial = 0;
  std::vector<std::string> regions;  // aliases in rollout order
  std::vector<std::string> targets;  // --target as given
  /// Every resource of the plan, no-ops included, in dependency order;
  /// drift found by refresh is on the change it concerns.
  std::vector<ResourceChange> changes;
  /// Every root output of the stack and of state, no-ops included, by name.
  std::vector<OutputChange> output_changes;

  PlanSummary Summary() const;
  /// True if applying would change anything: resources, outputs or, in
  /// refresh-only mode, state.
  bool HasChanges() const;
  /// True if some resource change is not a no-op (outputs aside).
  bool HasResourceChanges() const;
  /// True if some output change is not a no-op.
  bool HasOutputChanges() const;
  const ResourceChange* Find(std::string_view address) const;
};

}  // namespace infra::engine
