// The ledger: every durable record an apply makes, in the order the design
// requires (docs/state.md): the intent is journaled before the provider
// call, its outcome after, the object saved (resolving the intent in the
// same transaction), and a create_before_destroy's old object kept as
// deposed until its delete. Runs on the executor's thread only.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/apply/op_graph.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra::engine {

class Ledger {
 public:
  /// `state` receives every write; `recorded` (may be null) is state as the
  /// plan saw it. Both must outlive the ledger.
  Ledger(StatePort& state, const StateSnapshot* recorded) : state_(state), recorded_state_(recorded) {}

  /// Journals the intent of `kind` on `c` before its call; the id to pass
  /// to Outcome/Save/Forget. Error: the journal write failed (call nothing).
  Result<int64_t> Intend(const ResourceChange& c, OpKind kind, const std::string& token,
                         const nlohmann::json& payload);
  /// Records what the call returned. A refused call changed nothing, so its
  /// entry is resolved at once ("failed: <code>"); a success stays open
  /// until Save/Forget resolves it. Write errors are ignored: an entry left
  /// open is reconciled by the next run's recovery.
  void Outcome(int64_t intent, const Error* error);
  /// The call of `intent` will not be made (interrupted before it started).
  void NotStarted(int64_t intent, bool record_outcome);

  /// Saves the object of `c` with `attributes` (resolving `resolve_intent`
  /// if non-zero). `keep_old_deposed`: the first record of a
  /// create_before_destroy's new object, which keeps the old object as
  /// deposed in the same transaction.
  Status Save(const ResourceChange& c, OpKind kind, const nlohmann::json& attributes,
              const std::vector<std::string>& sensitive, bool keep_old_deposed, int64_t resolve_intent = 0);
  /// Removes the deleted object of `c` (the resource, or the old object
  /// when `deposed`), resolving `intent`.
  Status Forget(const ResourceChange& c, bool deposed, int64_t intent = 0);

  /// The attributes a call starts from: a deposed object's recorded ones,
  /// the resource's recorded ones, else the plan's before values.
  nlohmann::json Prior(const ResourceChange& c, bool deposed);
  /// State's record of `address` as the plan saw it, or null.
  const StateResource* Recorded(const std::string& address);

 private:
  const StateResource* RecordedDeposed(const std::string& address, const std::string& key) const;
  std::optional<StateResource> OldObject(const ResourceChange& c);

  StatePort& state_;
  const StateSnapshot* recorded_state_;
  std::unordered_map<std::string, const StateResource*> recorded_;
};

}  // namespace infra::engine
