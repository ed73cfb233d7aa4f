// The state commands (state list/show/history/pull/rm/mv/push, output,
// force-unlock) on a stack whose backend is remote, as Terraform's act on
// its remote state: reads pull the current snapshot into a private scratch
// file (the working copy is left alone); edits take the DynamoDB lease
// lock, pull into the working copy, change it there and write one new
// snapshot conditional on the one read (RemoteSession). docs/state.md.
#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "backends/s3/s3_backend.h"
#include "common/result.h"
#include "engine/cli/remote_session.h"
#include "state/lock.h"
#include "state/store.h"

namespace infra::cli {

struct GlobalOptions;

/// Where a state command's state is: the local file `path`, and `remote`
/// when the stack's backend is s3 (then `path` is its working copy).
struct StateLocation {
  std::string path{};
  std::optional<state::remote::S3BackendConfig> remote{};
  /// "s3://bucket/key" or the path, for messages.
  std::string Describe() const;
};

/// `--state PATH` names a local file, used as it is; otherwise the stack's
/// backend (`backend:`, INFRA_BACKEND_*, -backend-config). A working copy
/// recorded with another backend is refused like plan refuses it
/// (BackendChanged, naming `infra init -migrate-state`).
Result<StateLocation> LocateState(const GlobalOptions& g, const std::string& state_path);

/// The remote state's current snapshot, read-only, from a private scratch
/// copy removed by the destructor. Secrets unseal with INFRA_STATE_KEY or
/// the working copy's key file. StateNotFound when there is no snapshot.
class PulledState {
 public:
  static Result<std::unique_ptr<PulledState>> Open(const state::remote::S3BackendConfig& config,
                                                   const std::string& working_copy);
  ~PulledState();
  state::StateStore& store() { return *store_; }
  /// The snapshot's bytes, as stored (what `state pull` prints).
  const std::string& bytes() const { return bytes_; }

 private:
  PulledState() = default;
  std::string scratch_{};
  std::string bytes_{};
  std::unique_ptr<state::StateStore> store_{};
};

/// A remote state held for one change: the lease lock taken (waiting up to
/// `timeout`), the current snapshot pulled into the working copy, the
/// remote journal imported into it (so nothing a killed run journalled is
/// lost), the snapshot write fenced by the lease. StateNotFound when there
/// is no snapshot yet.
class RemoteEdit {
 public:
  static Result<std::unique_ptr<RemoteEdit>> Open(const state::remote::S3BackendConfig& config,
                                                  const std::string& working_copy, const std::string& command,
                                                  std::chrono::milliseconds timeout);
  state::StateStore& store() { return *store_; }
  RemoteSession& session() { return *session_; }
  /// Writes the working copy as the new snapshot when its serial moved,
  /// conditional on the one pulled (StateConflict, StateLockLost, ...:
  /// nothing overwritten), then releases the lock.
  Status Commit();
  /// `state push FILE --force`: `bytes` (a state database) becomes the
  /// snapshot whatever its lineage and serial, still conditional on the
  /// snapshot pulled and on the lease; the working copy is replaced by it
  /// too, and Commit then only releases the lock.
  Status ForcePush(const std::string& bytes);

 private:
  RemoteEdit() = default;
  std::unique_ptr<RemoteSession> session_{};  // declared first: destroyed last
  std::unique_ptr<state::StateStore> store_{};
};

/// A state opened for reading by a state command: the local file
/// read-only, or the remote's current snapshot (PulledState).
class ReadOnlyState {
 public:
  static Result<std::unique_ptr<ReadOnlyState>> Open(const StateLocation& where);
  state::StateStore& store() { return pulled_ ? pulled_->store() : *local_; }
  /// Set when the state is remote.
  PulledState* pulled() { return pulled_.get(); }

 private:
  std::unique_ptr<PulledState> pulled_{};
  std::unique_ptr<state::StateStore> local_{};
};

/// A state opened for a change under its lock (`command` names the
/// holder): the local file with the local lock, or a RemoteEdit.
class LockedState {
 public:
  static Result<std::unique_ptr<LockedState>> Open(const StateLocation& where, const std::string& command,
                                                   std::chrono::milliseconds timeout);
  state::StateStore& store() { return remote_ ? remote_->store() : *local_; }
  /// Set when the state is remote.
  RemoteEdit* remote() { return remote_.get(); }
  /// Remote: RemoteEdit::Commit. Local: releases the lock.
  Status Commit();

 private:
  std::unique_ptr<RemoteEdit> remote_{};
  std::unique_ptr<state::StateStore> local_{};
  std::unique_ptr<state::StateLock> lock_{};  // destroyed before local_
};

/// A state database's lineage and serial, opened read-only from a scratch
/// copy with the key of `key_path`'s state (a file sealed with another
/// key: StateKeyMismatch; not a state: StateCorrupt/StateForeign).
struct PushedState {
  std::string lineage{};
  int64_t serial = 0;
};
Result<PushedState> InspectStateBytes(const std::string& bytes, const std::string& key_path);

/// `infra force-unlock LOCK_ID` on the remote lock item: the checks of the
/// local one, then a DynamoDB delete conditional on the lock id.
Result<state::ForcedUnlock> ForceUnlockRemote(const state::remote::S3BackendConfig& config,
                                              const std::string& lock_id, bool force);

}  // namespace infra::cli
