// LocalBackend: the Backend over one local SQLite state (StateStore). A
// snapshot is the database copied with VACUUM INTO; writing one replaces
// the tables' contents in one transaction, keeping the lock row.
#pragma once
#include <memory>

#include "state/backend.h"
#include "state/journal.h"

namespace infra::state {

class StateStore;

class LocalBackend final : public Backend {
 public:
  /// `store` is not owned and must outlive this.
  explicit LocalBackend(StateStore& store);
  std::string Location() const override;
  Result<std::optional<Snapshot>> ReadSnapshot() override;
  Status WriteSnapshot(const Snapshot& next, const std::string& previous_version) override;
  /// The same without the lineage and serial checks (`state push --force`);
  /// still conditional on `previous_version` and the key.
  Status ReplaceSnapshot(const Snapshot& next, const std::string& previous_version);
  Result<std::unique_ptr<LockRecord>> OpenLockRecord() override;
  JournalLog& journal() override { return journal_; }

 private:
  Status Write(const Snapshot& next, const std::string& previous_version, bool ordered);
  StateStore& store_;
  Journal journal_;
};

/// The version LocalBackend gives a state: "<lineage>:<serial>".
std::string LocalSnapshotVersion(const std::string& lineage, int64_t serial);

}  // namespace infra::state
