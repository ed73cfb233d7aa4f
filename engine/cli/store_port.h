// StatePort over the SQLite state store (state/store.h + state/journal.h):
// what the executor and the recovery write, and the snapshot the planner
// reads. Schema-sensitive attributes are listed for encryption. A deposed
// object is a resource row with its key in the `deposed` column.
#pragma once
#include <string>

#include "common/result.h"
#include "engine/plan/state_port.h"

namespace infra::state {
class StateStore;
class JournalLog;
}
namespace infra::provider {
class Provider;
}

namespace infra::engine {

class StorePort : public StatePort {
 public:
  /// Neither is owned; both must outlive this.
  StorePort(state::StateStore& store, const provider::Provider& provider) : store_(store), provider_(provider) {}
  Status PutResource(const StateResource& resource, int64_t resolve_intent = 0) override;
  Status RemoveResource(const std::string& address, int64_t resolve_intent = 0) override;
  Status PutResources(const std::vector<StateResource>& resources, int64_t resolve_intent = 0) override;
  Status RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent = 0) override;
  Result<int64_t> RecordIntent(const PendingIntent& intent) override;
  Status RecordOutcome(int64_t intent_id, bool succeeded, const std::string& detail) override;
  Result<std::vector<PendingIntent>> Unfinished() override;
  Status Resolve(int64_t intent_id, const std::string& resolution) override;
  Status PutOutputs(const std::map<std::string, Value>& outputs) override;
  /// Journal through `journal` (not owned; e.g. the local journal mirrored
  /// to a remote backend's) instead of the store's own table.
  void UseJournal(state::JournalLog* journal) { journal_ = journal; }

 private:
  state::JournalLog* journal_ = nullptr;
  state::StateStore& store_;
  const provider::Provider& provider_;
};

/// Everything in `store` (decrypted) as the planner sees it; deposed rows
/// go to `deposed` with their own address and key. With `provider`, rows
/// recorded under an older schema version of their type are upgraded
/// (UpgradeStored); the file itself changes only when the apply rewrites
/// the row (written under the current version).
Result<StateSnapshot> LoadSnapshot(state::StateStore& store, const provider::Provider* provider = nullptr);

/// Brings `r` to its type's current schema version through
/// ResourceType::UpgradeState. Errors (naming the state file and address):
/// a version newer than this build knows; the type's upgrade failed.
Status UpgradeStored(const provider::Provider& provider, const std::string& state_path, StateResource* r);

}  // namespace infra::engine
